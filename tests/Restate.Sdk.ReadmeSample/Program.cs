using Microsoft.AspNetCore.Server.Kestrel.Core;
using Restate.Sdk;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

var count = new StateKey<long>("count");                      // serdes are found: long is built in

var counter = ServiceDefinition.ForVirtualObject("Counter")
    .Handler("add", async (ObjectContext ctx, long delta) =>
    {
        var total = await ctx.GetAsync(count) + delta;       // state, journaled
        ctx.Set(count, total);
        await ctx.RunAsync("audit", ct => File.AppendAllTextAsync("audit.log", $"{total}\n", ct));   // side effect, once
        return total;
    })
    .Build();

var builder = WebApplication.CreateSlimBuilder(args);
// `restate deployments register http://…` speaks HTTP/2 without TLS (h2c): Kestrel answers it on HTTP/2-only endpoints.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
var app = builder.Build();
app.MapRestate(RestateEndpoint.CreateBuilder().Bind(counter).Build());
app.Run();
