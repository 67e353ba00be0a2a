using Holiday;
using Holiday.Services;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Lambda;

// The Lambda custom runtime: HOLIDAY_SERVICE (trips, flights, cars or payments) chooses what this function serves.
// Configuration errors surface as a Lambda init error, so the function fails visibly at its first invocation.
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")))
{
    Console.Error.WriteLine(
        "error: AWS_LAMBDA_RUNTIME_API is not set. This is the Holiday Lambda bootstrap; it runs inside AWS Lambda " +
        "(provided.al2023) or the local Lambda emulator (./dev run --lambda). To serve the services over HTTP, run Holiday.Host.");
    return 2;
}

return await RestateLambda.RunAsync(() =>
{
    var endpoint = RestateEndpoint.CreateBuilder()
        .WithIdentityKeys(RestateLambda.IdentityKeysFromEnvironment());
    foreach (var service in HolidayServices.ForFunction(Environment.GetEnvironmentVariable("HOLIDAY_SERVICE"),
                 HolidayEnvironment.CreateDependencies()))
    {
        endpoint.Bind(service);
    }
    return endpoint.Build();
});
