using Holiday.Hosting;
using Holiday.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
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

// Dependency injection without the Generic Host. The container and the endpoint are built in the init phase;
// request-identity keys come from RESTATE_IDENTITY_KEYS (or Restate__IdentityKeys__0, …).
var builder = RestateLambda.CreateBuilder();
var service = builder.Configuration["HOLIDAY_SERVICE"];
// JSON lines for CloudWatch Logs Insights; ctx.Logger's scope adds the invocation id and target to each.
builder.Services.AddLogging(logging => logging
    .AddHolidayConsole(ConsoleLogFormat.Json)
    .SetMinimumLevel(LogLevel.Information));
builder.Services.AddSingleton(_ => HolidayAws.CreateDependencies());
// Null without OTEL_EXPORTER_OTLP_ENDPOINT; otherwise owned (and disposed at the end) by the container.
builder.Services.AddSingleton(_ => HolidayTelemetry.CreateTracerProvider($"holiday-{service}")!);
// In the init phase, so that a HOLIDAY_SERVICE naming no service is reported to Lambda as an init error.
builder.ConfigureServices((services, _) => services.AddRestate(restate => restate.AddHolidayServices(service ?? "")));
builder.OnInit((services, initCancellation) =>
{
    // Resolved in init, not on first use: the tracer listens before the first invocation, and the AWS clients are not
    // built on a caller's time.
    _ = services.GetService<TracerProvider>();
    _ = services.GetRequiredService<HolidayDependencies>();
    // Flights, cars and payments make a DynamoDB write in their first invocation: the part of the process's first
    // request that needs no network (crypto library, credentials, endpoint, marshallers; about 3 ms) is done here
    // instead. Init is billed like an invocation, so this moves time, it does not add any (docs/decisions.md). The
    // trips function writes only at the end of a saga, so it keeps that work off its init.
    if (service is not HolidayServices.Trips)
    {
        HolidayAws.WarmUp();
    }
    return Task.CompletedTask;
});
// Lambda may freeze the sandbox as soon as it has the response: export this invocation's spans first.
builder.OnBeforeResponse((services, _) =>
{
    services.GetService<TracerProvider>()?.ForceFlush(timeoutMilliseconds: 5_000);
    return Task.CompletedTask;
});
return await builder.RunAsync();
