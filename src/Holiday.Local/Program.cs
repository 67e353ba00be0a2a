using System.Runtime.InteropServices;
using Holiday.Local;

// ./dev run: restate-server + the services + registration on loopback, then the curl lines; Ctrl+C stops everything.
var parsed = LocalRunOptions.Parse(args);
if (LocalRunOptions.HelpOrErrors(parsed, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}
var options = LocalRunOptions.From(parsed);

using var stop = new CancellationTokenSource();
// Ctrl+C (SIGINT) and SIGTERM both stop gracefully: every process this tool started is stopped before it exits.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

LocalSystem system;
try
{
    system = await LocalSystem.StartAsync(options, Console.WriteLine, stop.Token);
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

await using (system)
{
    Console.WriteLine();
    Console.WriteLine($"Restate ingress  {system.IngressUri}");
    Console.WriteLine($"Restate admin    {system.AdminUri}");
    if (system.Lambda is { } lambda)
    {
        Console.WriteLine($"Lambda emulator  {system.ServicesUri} (Invoke API; restate-server uses it through AWS_ENDPOINT_URL_LAMBDA)");
        foreach (var function in lambda.Functions)
        {
            Console.WriteLine($"  function       {function.Definition.QualifiedArn}");
        }
    }
    else
    {
        Console.WriteLine($"Holiday services {system.ServicesUri} (trips, flights, cars, payments)");
    }
    Console.WriteLine($"DynamoDB         {system.DynamoDbDescription}, tables Flights, Cars, Payments, Trips");
    if (options.OtlpEndpoint is { } otlp)
    {
        Console.WriteLine($"Traces           {otlp} (OTLP/gRPC from restate-server and the services; one trace per trip)");
    }
    Console.WriteLine();
    Console.WriteLine("Try:");
    foreach (var line in system.CurlLines())
    {
        Console.WriteLine($"  {line}");
    }
    Console.WriteLine();
    Console.WriteLine("Press Ctrl+C to stop everything.");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping…");
    }
}
return 0;

void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
