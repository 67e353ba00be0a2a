namespace Restate.Sdk.Analyzers.Tests.Infrastructure;

/// <summary>Handler shapes the tests put code into.</summary>
internal static class Snippets
{
    /// <summary>A virtual-object handler registered through the builder, as in src/Holiday/Services; the context is <c>ctx</c>.</summary>
    public static string ObjectHandler(string body) => $$"""
        public static class Service
        {
            public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject("service")
                .Handler("handle", async (ObjectContext ctx, string request) =>
                {
        {{body}}
                    await Task.CompletedTask;
                    return request;
                }, Serde.String, Serde.String)
                .Build();
        }
        """;

    /// <summary>An ordinary method taking a plain <c>Context</c> named <c>context</c>.</summary>
    public static string ContextMethod(string body) => $$"""
        public static class Steps
        {
            public static async Task<string> StepAsync(Context context, string request)
            {
        {{body}}
                await Task.CompletedTask;
                return request;
            }
        }
        """;

    /// <summary>Code with no Restate context anywhere in reach: never handler code.</summary>
    public static string PlainMethod(string body) => $$"""
        public static class Plain
        {
            public static async Task<string> WorkAsync(string request)
            {
        {{body}}
                await Task.CompletedTask;
                return request;
            }
        }
        """;
}
