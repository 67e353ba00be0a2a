using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary><c>ListObject</c>: a list of strings per key, in one state entry.</summary>
internal static class ListObject
{
    public const string Name = "ListObject";

    private static readonly Serde<string[]> Strings = Serde.Json(ConformanceJson.Default.StringArray);
    private static readonly StateKey<string[]> List = new("list", Strings);

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("append", async (ObjectContext ctx, string value) =>
        {
            var list = await ctx.GetAsync(List) ?? [];
            ctx.Set(List, [.. list, value]);
        }, Serde.String)
        .Handler("get", async (ObjectContext ctx) => await ctx.GetAsync(List) ?? [], Strings)
        .Handler("clear", async (ObjectContext ctx) =>
        {
            var list = await ctx.GetAsync(List) ?? [];
            ctx.Clear(List.Name);
            return list;
        }, Strings)
        .Build();
}
