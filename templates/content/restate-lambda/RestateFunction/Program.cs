using Restate.Sdk.Lambda;
using RestateFunction;

// The Lambda custom runtime loop: builds the container and the endpoint in the init phase (an error there becomes a
// Lambda init error), then serves restate-server's invocations, one event per request.
var builder = RestateLambda.CreateBuilder();
builder.Services.AddApp();
return await builder.RunAsync();
