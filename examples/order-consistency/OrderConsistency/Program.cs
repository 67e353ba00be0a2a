using Microsoft.AspNetCore.Server.Kestrel.Core;
using OrderConsistency;
using OrderConsistency.Clients;
using OrderConsistency.Inventory;
using Restate.Sdk.AspNetCore;

if (args is ["clients", .. var clientArgs])
{
    // The order clients and the checker, against a running app: see ClientCommand.
    return await ClientCommand.RunAsync(clientArgs, Console.Out);
}

var builder = WebApplication.CreateSlimBuilder(args);
// restate-server talks HTTP/2 without TLS (h2c) to http:// deployments; Kestrel answers that on HTTP/2-only endpoints.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddOrders();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderJson.Default));
var app = builder.Build();
app.MapRestate();
// What the in-process inventory holds and every call it received, for the checker of `clients`.
app.MapGet("/inventory", (InMemoryInventory inventory) => new InventorySnapshot(inventory.Holdings, inventory.Operations));
await app.RunAsync();
return 0;
