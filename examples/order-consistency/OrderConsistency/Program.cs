using Microsoft.AspNetCore.Server.Kestrel.Core;
using OrderConsistency;
using Restate.Sdk.AspNetCore;

var builder = WebApplication.CreateSlimBuilder(args);
// restate-server talks HTTP/2 without TLS (h2c) to http:// deployments; Kestrel answers that on HTTP/2-only endpoints.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddOrders();
var app = builder.Build();
app.MapRestate();
app.Run();
