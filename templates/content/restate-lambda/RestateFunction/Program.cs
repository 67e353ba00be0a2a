using Restate.Sdk.Endpoint;
using Restate.Sdk.Lambda;
using RestateFunction;

// The Lambda custom runtime loop: builds the endpoint in the init phase (an error there becomes a Lambda init error),
// then serves restate-server's invocations, one event per request.
return await RestateLambda.RunAsync(() => AppEndpoint.Configure(RestateEndpoint.CreateBuilder()).Build());
