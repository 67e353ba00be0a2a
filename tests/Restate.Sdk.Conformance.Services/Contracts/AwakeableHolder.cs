using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary><c>AwakeableHolder</c>: keeps one awakeable id per key so a test can see it registered and complete it.</summary>
internal static class AwakeableHolder
{
    public const string Name = "AwakeableHolder";

    private static readonly StateKey<string> Id = new("id", Serde.String);

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("hold", (ObjectContext ctx, string id) =>
        {
            ctx.Set(Id, id);
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("hasAwakeable", async (ObjectContext ctx) => await ctx.GetAsync(Id) is not null, Serde.Boolean)
        .Handler("unlock", async (ObjectContext ctx, string payload) =>
        {
            var id = await ctx.GetAsync(Id) ?? throw new TerminalException("No awakeable registered", 404);
            ctx.ResolveAwakeable(id, payload, Serde.String);
            ctx.Clear(Id.Name);
        }, Serde.String)
        .Build();
}
