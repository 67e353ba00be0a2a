using Restate.Sdk;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Lambda;

// SERVICE_NAME (default "trips") exposes two handlers: `wait` sleeps for an hour (the invocation suspends, pinned to
// this deployment) and `hello` answers at once.
var name = Environment.GetEnvironmentVariable("SERVICE_NAME") is { Length: > 0 } configured ? configured : "trips";
var service = ServiceDefinition.ForService(name)
    .Handler("wait", async (Context ctx, string input) =>
    {
        await ctx.SleepAsync(TimeSpan.FromHours(1));
        return input;
    }, Serde.String, Serde.String)
    .Handler("hello", (Context ctx, string input) => Task.FromResult($"hello {input}"), Serde.String, Serde.String)
    .Build();

return await RestateLambda.RunAsync(() => RestateEndpoint.CreateBuilder().Bind(service).Build());
