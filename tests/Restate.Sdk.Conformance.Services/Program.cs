using System.Runtime.InteropServices;
using Restate.Sdk.Conformance.Services;

// The conformance suite's service container: see README.md for the environment it reads and the line it prints.
ServiceSettings settings;
IReadOnlyList<Restate.Sdk.Definitions.ServiceDefinition> services;
try
{
    settings = ServiceSettings.FromEnvironment(Environment.GetEnvironmentVariable);
    services = ContractCatalog.Select(settings.Services);
}
catch (Exception e) when (e is FormatException or InvalidOperationException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using var host = await ConformanceHost.StartAsync(settings, services);
Console.WriteLine(host.Http1Uri is null ? $"listening {host.Http2Uri}" : $"listening {host.Http2Uri} {host.Http1Uri}");
var stop = new TaskCompletionSource();
// SIGTERM (a graceful stop) and SIGINT both end the process; .NET no longer turns SIGTERM into ProcessExit.
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
await stop.Task;
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
