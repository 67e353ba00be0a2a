using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.LoadTest.Targets;

/// <summary>
/// The limit run: <c>dotnet Holiday.LoadTest.Noop.dll</c>, the Holiday services and host with stores that do nothing
/// (bench/Holiday.LoadTest.Noop), so each trip makes the same calls and journals the same steps without DynamoDB.
/// </summary>
internal sealed class NoopTarget : LoadTarget
{
    public override string Name => TargetNames.Noop;

    public override string ServiceProcessName => "Holiday.LoadTest.Noop (dotnet)";

    public override bool UsesDynamoDb => false;

    protected override async Task<(ManagedProcess Process, Uri Endpoint)> StartServiceAsync(DynamoDbLocal? dynamoDb, CancellationToken ct)
    {
        var port = FreeLoopbackPort();
        var process = await DotnetAppProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Holiday.LoadTest.Noop.dll"), [],
            QuietHostEnvironment(port), "listening on", ct);
        return (process, new Uri($"http://127.0.0.1:{port}/"));
    }
}
