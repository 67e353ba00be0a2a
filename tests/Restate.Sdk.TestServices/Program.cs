using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Lambda;
using Restate.Sdk.TestServices;

// Runs the test services as a separate process: over HTTP (the crash test kills and restarts it), or as a Lambda
// function in the Lambda emulator (the Lambda path of the SDK tests).
// Usage: Restate.Sdk.TestServices <http2-port> <http1-port> | Restate.Sdk.TestServices lambda | Restate.Sdk.TestServices lambda-di
// (ScopedGreeter through RestateLambda.CreateBuilder(), configured from the environment);
// side effects go to $TEST_SIDE_EFFECT_LOG.
var logPath = Environment.GetEnvironmentVariable(SideEffectLog.PathVariable)
    ?? throw new InvalidOperationException($"Set {SideEffectLog.PathVariable} to the side-effect log file.");
if (args is ["lambda"])
{
    return await RestateLambda.RunAsync(() =>
    {
        var log = new SideEffectLog(logPath);
        var endpoint = RestateEndpoint.CreateBuilder()
            .WithJsonContext(TestJson.Default)
            .WithInterceptor(new RecordingInterceptor(log))
            .MapExceptionToTerminal<FormatException>(e => new TerminalException($"bad format: {e.Message}", 422));
        foreach (var service in TestServiceCatalog.All(log))
        {
            endpoint.Bind(service);
        }
        return endpoint.Build();
    });
}
if (args is ["lambda-di"])
{
    var builder = RestateLambda.CreateBuilder();
    ScopedGreeter.AddDependencies(builder.Services, new SideEffectLog(logPath));
    builder.Services.AddRestate(restate => restate.AddService<ScopedGreeter>());
    return await builder.RunAsync();
}
if (args.Length != 2 || !int.TryParse(args[0], out var http2Port) || !int.TryParse(args[1], out var http1Port))
{
    Console.Error.WriteLine("usage: Restate.Sdk.TestServices <http2-port> <http1-port>");
    return 2;
}
await using var host = await TestServicesHost.StartAsync(new SideEffectLog(logPath), http2Port, http1Port);
Console.WriteLine($"listening {host.Http2Uri} {host.Http1Uri}");
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
