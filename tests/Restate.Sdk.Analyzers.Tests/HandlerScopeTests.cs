using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

/// <summary>What counts as handler code: every context type and function shape, and what does not.</summary>
public sealed class HandlerScopeTests
{
    [Fact]
    public Task EveryContextTypeAndBuilder_MakesHandlerCode() => VerifyAsync("""
        public static class Services
        {
            public static ServiceDefinition Service() => ServiceDefinition.ForService("s")
                .Handler("plain", async (Context ctx) => { await Task.Yield(); return {|RESTATE100:DateTime.UtcNow|}.ToString("O"); }, Serde.String)
                .Build();

            public static ServiceDefinition Object() => ServiceDefinition.ForVirtualObject("o")
                .SharedHandler("get", (SharedObjectContext ctx) => Task.FromResult({|RESTATE101:Guid.NewGuid|}().ToString()), Serde.String)
                .Handler("implicit", (ctx, request) => Task.FromResult(request + {|RESTATE101:Random.Shared|}.Next()), Serde.String, Serde.String)
                .Build();

            public static ServiceDefinition Workflow() => ServiceDefinition.ForWorkflow("w")
                .Run("run", async (WorkflowContext ctx) => await {|RESTATE102:Task.Delay|}(1))
                .SharedHandler("peek", (SharedWorkflowContext ctx) => Task.FromResult({|RESTATE103:Environment.MachineName|}), Serde.String)
                .Build();
        }
        """);

    [Fact]
    public Task FieldInitializerLambdaAndGenericContext_AreHandlerCode() => VerifyAsync("""
        public static class Handlers
        {
            public static readonly Func<Context, Task<string>> Stamp = ctx => Task.FromResult({|RESTATE100:DateTime.UtcNow|}.ToString("O"));

            public static DateTime Now<TContext>(TContext ctx)
                where TContext : SharedObjectContext => {|RESTATE100:DateTime.UtcNow|};
        }
        """);

    [Fact]
    public Task LocalFunctionWithContext_InPlainMethod_IsHandlerCode() => VerifyAsync(Snippets.PlainMethod("""
                static Guid NewId(Context ctx) => {|RESTATE101:Guid.NewGuid|}();
                var fine = Guid.NewGuid();
        """));

    [Fact]
    public Task LambdasAndLocalFunctionsInsideAHandler_InheritHandlerCode() => VerifyAsync(Snippets.ObjectHandler("""
                    Func<DateTime> clock = () => {|RESTATE100:DateTime.UtcNow|};
                    string Stamp() => {|RESTATE100:DateTime.UtcNow|}.ToString("O");
                    var stamp = Stamp();
        """));

    [Fact]
    public Task LocalFunctionUsedOnlyFromRunClosures_IsNotHandlerCode() => VerifyAsync(Snippets.ObjectHandler("""
                    Task<string> Now(CancellationToken cancellation) => Task.FromResult(DateTime.UtcNow.ToString("O"));
                    var a = await ctx.RunAsync("a", Now, Serde.String);
                    var b = await ctx.RunAsync("b", cancellation => Now(cancellation), Serde.String);
        """));

    [Fact]
    public Task LocalFunctionUsedFromHandlerCodeToo_IsHandlerCode() => VerifyAsync(Snippets.ObjectHandler("""
                    Task<string> Now(CancellationToken cancellation) => Task.FromResult({|RESTATE100:DateTime.UtcNow|}.ToString("O"));
                    var a = await ctx.RunAsync("a", Now, Serde.String);
                    var b = await Now(CancellationToken.None);
        """));

    [Fact]
    public Task RunAsyncArgumentsOtherThanTheClosure_AreHandlerCode() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync($"step at {{|RESTATE100:DateTime.UtcNow|}}", _ => Task.CompletedTask);
        """));

    [Fact]
    public Task OtherRunAsyncMethods_DoNotExemptTheirClosures() => VerifyAsync(Snippets.ObjectHandler("""
                    await Local.RunAsync("x", _ => Task.FromResult({|RESTATE100:DateTime.UtcNow|}));
        """) + """

        public static class Local
        {
            public static Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> action) => action(CancellationToken.None);
        }
        """);

    [Fact]
    public Task UserTypeNamedContext_IsNotARestateContext() => VerifyAsync("""
        namespace MyApp
        {
            public sealed class Context;

            public static class Handlers
            {
                public static DateTime Now(Context ctx) => DateTime.UtcNow;
            }
        }
        """);

    [Fact]
    public async Task CompilationWithoutRestate_ReportsNothing()
    {
        var diagnostics = await AnalyzeSnippetAsync("""
            public static class Handlers
            {
                public static DateTime Now(object ctx) => DateTime.UtcNow;
            }
            """, referenceRestate: false);

        Assert.Empty(diagnostics);
    }
}
