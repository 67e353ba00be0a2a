using Holiday;
using Holiday.Services;
using Holiday.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
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

// JSON lines for CloudWatch Logs Insights; ctx.Logger's scope adds the invocation id and target to each.
using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddHolidayConsole(ConsoleLogFormat.Json)
    .SetMinimumLevel(LogLevel.Information));
TracerProvider? tracing = null;
try
{
    return await RestateLambda.RunAsync(
        _ =>
        {
            var service = Environment.GetEnvironmentVariable("HOLIDAY_SERVICE");
            tracing = HolidayTelemetry.CreateTracerProvider(TelemetrySettings.FromEnvironment($"holiday-{service}"));
            var endpoint = RestateEndpoint.CreateBuilder()
                .WithIdentityKeys(RestateLambda.IdentityKeysFromEnvironment())
                .WithLoggerFactory(loggerFactory);
            foreach (var bound in HolidayDefinitions.ForFunction(service, HolidayEnvironment.CreateDependencies()))
            {
                endpoint.Bind(bound);
            }
            return Task.FromResult(endpoint.Build());
        },
        // Lambda may freeze the sandbox as soon as it has the response: export this invocation's spans first.
        _ =>
        {
            tracing?.ForceFlush(timeoutMilliseconds: 5_000);
            return Task.CompletedTask;
        });
}
finally
{
    tracing?.Dispose();
}
