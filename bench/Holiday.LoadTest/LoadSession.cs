using System.Globalization;
using Holiday.LoadTest.Load;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Results;
using Holiday.LoadTest.Targets;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.LoadTest;

/// <summary>
/// One load-test session. DynamoDB Local (if a target needs it) and every target's service process start once and
/// stay up for the whole session, so their JIT compilers are warm after the first run and no run pays for a start.
/// Each measured run gets a fresh restate-server: both Holidays register services named trips, flights, cars and
/// payments, and a fresh server also starts every run with an empty journal and no state left from earlier runs.
/// Disposing stops everything that was started.
/// </summary>
internal sealed class LoadSession : IAsyncDisposable
{
    /// <summary>How the processes are arranged, for the JSON and the docs.</summary>
    public const string Setup =
        "One DynamoDB Local and one process per target's service for the whole session; a fresh restate-server " +
        "(single node, 2 partitions, the Restate.Sdk.Testing defaults) per measured run, the service registered with " +
        "it over HTTP/2 (h2c). Warm-up trips on that server before the window opens.";

    private readonly LoadTestOptions _options;
    private readonly string _sessionId = Guid.NewGuid().ToString("N")[..8];
    private readonly Action<string> _log;
    private readonly List<LoadTarget> _targets = [];
    private DynamoDbLocal? _dynamoDb;

    private LoadSession(LoadTestOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public IReadOnlyList<LoadTarget> Targets => _targets;

    public static async Task<LoadSession> StartAsync(LoadTestOptions options, Action<string> log, CancellationToken ct)
    {
        var session = new LoadSession(options, log);
        try
        {
            var targets = options.Targets.Select(name => LoadTarget.Create(name, options)).ToArray();
            if (targets.Any(t => t.UsesDynamoDb))
            {
                log("Starting DynamoDB Local…");
                session._dynamoDb = await DynamoDbLocal.StartAsync(ct: ct);
            }

            foreach (var target in targets)
            {
                log($"Starting the {target.Name} service ({target.ServiceProcessName})…");
                session._targets.Add(target);
                await target.StartAsync(session._dynamoDb, ct);
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Once per target before the first measured run: <see cref="LoadTestOptions.Warmup"/> trips at
    /// <paramref name="concurrency"/> on a throwaway restate-server, not recorded, so that the JIT compilers of the
    /// long-lived processes (the service, DynamoDB Local's JVM) are warm before any window opens, whichever target
    /// runs first.
    /// </summary>
    /// <exception cref="TripNotBookedException">A trip was not booked.</exception>
    public async Task WarmUpAsync(LoadTarget target, int concurrency, CancellationToken ct)
    {
        await using var server = await StartServerAsync(target, ct);
        using var client = new TripClient(server.IngressUri, concurrency);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"lt-{_sessionId}-{target.Name}-session");
        await ExplainFailureAsync(target, server, "session warm-up",
            () => ClosedLoop.RunAsync(client, _options.Warmup, concurrency, i => $"{prefix}-w{i}", ct));
    }

    /// <summary>
    /// One measured run: a fresh restate-server, the target's service registered, the warm-up trips, then the measured
    /// window of <see cref="LoadTestOptions.Requests"/> trips with every process metered.
    /// </summary>
    /// <exception cref="TripNotBookedException">A trip was not booked; the message says which and what came back.</exception>
    public async Task<RunResult> RunAsync(LoadTarget target, int concurrency, int round, CancellationToken ct)
    {
        await using var server = await StartServerAsync(target, ct);
        using var client = new TripClient(server.IngressUri, concurrency);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"lt-{_sessionId}-{target.Name}-c{concurrency}-r{round}");
        var run = string.Create(CultureInfo.InvariantCulture, $"run at C={concurrency} (round {round})");
        if (_options.Warmup > 0)
        {
            await ExplainFailureAsync(target, server, run,
                () => ClosedLoop.RunAsync(client, _options.Warmup, concurrency, i => $"{prefix}-w{i}", ct));
        }

        var window = ProcessWindow.Open(Metered(target, server));
        var loadStart = ProcFs.LoadAverage();
        var measured = await ExplainFailureAsync(target, server, run,
            () => ClosedLoop.RunAsync(client, _options.Requests, concurrency, i => $"{prefix}-m{i}", ct));
        var usage = window.Close();
        var loadEnd = ProcFs.LoadAverage();
        return new RunResult(target.Name, concurrency, round, _options.Requests, measured.Elapsed.TotalSeconds,
            Summary.Of(measured.LatenciesMs), usage.Processes, usage.OtherCpuSeconds, loadStart, loadEnd,
            [.. measured.LatenciesMs.Select(ms => Math.Round(ms, 2))]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _targets)
        {
            await target.DisposeAsync();
        }

        if (_dynamoDb is not null)
        {
            await _dynamoDb.DisposeAsync();
        }
    }

    /// <summary>A fresh restate-server with the target's service registered.</summary>
    private static async Task<RestateServer> StartServerAsync(LoadTarget target, CancellationToken ct)
    {
        var server = await RestateServer.StartAsync(ct: ct);
        try
        {
            await server.RegisterDeploymentAsync(target.ServiceUri, ct: ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds what the run was and the last output of the service and the server to a failed trip.</summary>
    private static async Task<ClosedLoopResult> ExplainFailureAsync(LoadTarget target, RestateServer server, string phase,
        Func<Task<ClosedLoopResult>> loop)
    {
        try
        {
            return await loop();
        }
        catch (TripNotBookedException e)
        {
            throw new TripNotBookedException(
                $"The {target.Name} {phase} was aborted, nothing of it is reported: {e.Message}{target.RecentLog}" +
                $"\n--- last lines of restate-server output ---\n{string.Join('\n', server.RecentLog.TakeLast(30))}", e);
        }
    }

    private List<MeteredProcess> Metered(LoadTarget target, RestateServer server)
    {
        var processes = new List<MeteredProcess>
        {
            new(Roles.RestateServer, "restate-server", server.ProcessId),
            new(Roles.Service, target.ServiceProcessName, target.ServiceProcessId),
        };
        if (_dynamoDb is not null)
        {
            processes.Add(new MeteredProcess(Roles.DynamoDb, "DynamoDB Local (java)", _dynamoDb.ProcessId));
        }

        processes.Add(new MeteredProcess(Roles.LoadGenerator, "Holiday.LoadTest (dotnet)", Environment.ProcessId, WithDescendants: false));
        return processes;
    }
}
