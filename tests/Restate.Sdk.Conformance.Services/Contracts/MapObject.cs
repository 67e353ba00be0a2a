using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

internal sealed record MapEntry(string Key, string Value);

/// <summary><c>MapObject</c>: a string map per key, one Restate state entry per map entry.</summary>
internal static class MapObject
{
    public const string Name = "MapObject";

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("set", (ObjectContext ctx, MapEntry entry) =>
        {
            ctx.Set(Entry(entry.Key), entry.Value);
            return Task.CompletedTask;
        }, Serde.Json(ConformanceJson.Default.MapEntry))
        .Handler("get", async (ObjectContext ctx, string key) => await ctx.GetAsync(Entry(key)) ?? string.Empty, Serde.String, Serde.String)
        .Handler("clearAll", async (ObjectContext ctx) =>
        {
            var entries = new List<MapEntry>();
            foreach (var key in await ctx.StateKeysAsync())
            {
                if (await ctx.GetAsync(Entry(key)) is { Length: > 0 } value)
                {
                    entries.Add(new MapEntry(key, value));
                }
            }
            ctx.ClearAll();
            return entries.ToArray();
        }, Serde.Json(ConformanceJson.Default.MapEntryArray))
        .Build();

    private static StateKey<string> Entry(string key) => new(key, Serde.String);
}
