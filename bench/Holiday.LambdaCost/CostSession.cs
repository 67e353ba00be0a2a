using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Hosting;
using Holiday.LoadTest.Load;
using Holiday.Local;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.LambdaCost;

/// <summary>
/// One session: one DynamoDB Local and one Lambda emulator holding both Holidays' functions for the whole session (so
/// warm instances stay warm between runs, as in Lambda); a fresh restate-server per run, with the run's Holiday
/// registered by qualified ARN (both Holidays name their services trips, flights, cars and payments, so one server
/// cannot hold both). Disposing stops everything that was started.
/// </summary>
internal sealed class CostSession : IAsyncDisposable
{
    /// <summary>How the processes are arranged, for the JSON and the docs.</summary>
    public const string Setup =
        "One DynamoDB Local and one Lambda emulator (Restate.Sdk.Testing.Lambda) with both Holidays' four functions for " +
        "the whole session; a fresh restate-server (single node, the Restate.Sdk.Testing defaults) per run, the run's " +
        "four functions registered by qualified ARN (request/response Lambda invocations). Warm-up trips on that server " +
        "before the window opens.";

    // After the last answer, invocations that restate-server still runs (none are expected) get this long to end.
    private static readonly TimeSpan Drain = TimeSpan.FromMilliseconds(300);

    private readonly CostOptions _options;
    private readonly Action<string> _log;
    private readonly string _sessionId = Guid.NewGuid().ToString("N")[..8];
    private readonly ReportLog _reports = new();
    private readonly List<LambdaSystem> _systems = [];
    private readonly string _workFolder = Directory.CreateTempSubdirectory("lambdacost-").FullName;
    private DynamoDbLocal? _dynamoDb;
    private LambdaEmulator? _emulator;

    private CostSession(CostOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public IReadOnlyList<LambdaSystem> Systems => _systems;

    public static async Task<CostSession> StartAsync(CostOptions options, Action<string> log, CancellationToken ct)
    {
        var session = new CostSession(options, log);
        try
        {
            await session.StartCoreAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One measured run: a fresh restate-server with the system registered, the warm-up trips, then
    /// <see cref="CostOptions.Trips"/> trips in a closed loop at <paramref name="concurrency"/>, every answer checked,
    /// and every Lambda invocation that started inside the window with its REPORT line.
    /// </summary>
    /// <exception cref="TripNotBookedException">A trip was not booked; the message says which and what came back.</exception>
    public async Task<RunResult> RunAsync(LambdaSystem system, int concurrency, int round, CancellationToken ct)
    {
        await using var server = await StartServerAsync(system, ct);
        using var client = new TripClient(server.IngressUri, concurrency);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"lc-{_sessionId}-{system.Name}-c{concurrency}-r{round}");
        if (_options.Warmup > 0)
        {
            await ExplainFailureAsync(system, server, () => ClosedLoop.RunAsync(client, _options.Warmup, concurrency, i => $"{prefix}-w{i}", ct));
        }

        _emulator!.ResetCounters();
        var opened = DateTimeOffset.UtcNow;
        var measured = await ExplainFailureAsync(system, server,
            () => ClosedLoop.RunAsync(client, _options.Trips, concurrency, i => $"{prefix}-m{i}", ct));
        var closed = DateTimeOffset.UtcNow;
        await Task.Delay(Drain, ct);
        var invocations = await InvocationsAsync(system, opened, closed, ct);
        return new RunResult(system.Name, concurrency, round, _options.Trips, measured.Elapsed.TotalSeconds,
            Summary.Of(measured.LatenciesMs), invocations.Count, invocations.Count(i => i.ColdStart),
            invocations.Count(i => i.Status != nameof(LambdaInvocationStatus.Succeeded)), invocations.Sum(i => i.BilledMs),
            Summary.Of([.. invocations.Select(i => i.DurationMs)]), PerFunction(system, invocations, _options.Trips),
            [.. measured.LatenciesMs.Select(ms => Math.Round(ms, 2))]);
    }

    /// <summary>
    /// One cold trip: a fresh restate-server with the system registered (registration's discovery starts an instance of
    /// each function), then every instance of the system's functions stopped, then one trip, so that each function's
    /// first invocation in it is a cold start.
    /// </summary>
    public async Task<ColdResult> ColdAsync(LambdaSystem system, int round, CancellationToken ct)
    {
        await using var server = await StartServerAsync(system, ct);
        using var client = new TripClient(server.IngressUri, 1);
        foreach (var function in system.Functions)
        {
            await _emulator!.StopInstancesAsync(function.Name);
        }

        await Task.Delay(100, ct);
        _emulator!.ResetCounters();
        var opened = DateTimeOffset.UtcNow;
        var tripId = string.Create(CultureInfo.InvariantCulture, $"lc-{_sessionId}-{system.Name}-cold{round}");
        var measured = await ExplainFailureAsync(system, server, () => ClosedLoop.RunAsync(client, 1, 1, _ => tripId, ct));
        var closed = DateTimeOffset.UtcNow;
        await Task.Delay(Drain, ct);
        var invocations = await InvocationsAsync(system, opened, closed, ct);
        var functions = new List<ColdFunction>();
        foreach (var function in system.Functions)
        {
            var own = invocations.Where(i => i.Function == function.Name).OrderBy(i => i.StartedAt).ToList();
            if (own is not [var first, ..] || !first.ColdStart || first.InitMs is not { } init)
            {
                throw new InvalidOperationException(
                    $"{function.Name}: the cold trip's first invocation of it was not a cold start with an Init Duration.");
            }

            functions.Add(new ColdFunction(function.Name, init, first.DurationMs, own.Count(i => i.ColdStart),
                PeakRssKb(first.ProcessId)));
        }

        return new ColdResult(system.Name, round, measured.LatenciesMs[0], invocations.Count, invocations.Sum(i => i.BilledMs),
            functions);
    }

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_dynamoDb is not null)
        {
            await _dynamoDb.DisposeAsync();
        }

        try
        {
            Directory.Delete(_workFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        _log("Starting DynamoDB Local…");
        _dynamoDb = await DynamoDbLocal.StartAsync(ct: ct);
        using (var client = _dynamoDb.CreateClient())
        {
            if (_options.Targets.Contains(LambdaSystem.Holiday))
            {
                await HolidayTables.CreateAsync(client, TableNames.Default, ct);
            }

            if (_options.Targets.Contains(LambdaSystem.TypeScript))
            {
                foreach (var table in LambdaSystem.TsTables)
                {
                    await TsHolidayCheckout.CreateTableAsync(client, table, ct);
                }
            }
        }

        _emulator = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions { Log = _reports.OnLine }, ct);
        foreach (var target in _options.Targets)
        {
            var system = target == LambdaSystem.Holiday
                ? LambdaSystem.CreateHoliday(await CopyBootstrapAsync(ct), _dynamoDb.Endpoint)
                : LambdaSystem.CreateTypeScript(_options.TsHolidayDirectory!,
                    Path.Combine(AppContext.BaseDirectory, "NodeRuntime", "runtime.js"), _dynamoDb.Endpoint);
            foreach (var function in system.Functions)
            {
                _emulator.AddFunction(function);
            }

            _systems.Add(system);
        }
    }

    /// <summary>
    /// Publishes the Native AOT bootstrap (incremental, under its file lock) and copies it with its native libraries to
    /// the session's folder, so that a concurrent publish cannot replace the binary during the session.
    /// </summary>
    private async Task<string> CopyBootstrapAsync(CancellationToken ct)
    {
        var published = await LambdaBootstrap.EnsurePublishedAsync(_log, ct);
        var folder = Path.GetDirectoryName(published)!;
        var target = Directory.CreateDirectory(Path.Combine(_workFolder, "holiday-lambda")).FullName;
        await using (await LockAsync(Path.Combine(folder, ".publish.lock"), ct))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if (name == "bootstrap" || name.EndsWith(".so", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(target, name), overwrite: true);
                }
            }
        }

        return Path.Combine(target, "bootstrap");
    }

    private async Task<RestateServer> StartServerAsync(LambdaSystem system, CancellationToken ct)
    {
        var server = await RestateServer.StartAsync(new RestateServerOptions { Environment = _emulator!.ClientEnvironment }, ct);
        try
        {
            foreach (var function in system.Functions)
            {
                await server.RegisterLambdaAsync(function.QualifiedArn, ct);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The system's invocations that started between <paramref name="opened"/> and <paramref name="closed"/>,
    /// each with its REPORT line.</summary>
    private async Task<List<Invocation>> InvocationsAsync(LambdaSystem system, DateTimeOffset opened, DateTimeOffset closed,
        CancellationToken ct)
    {
        var names = system.Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var result = new List<Invocation>();
        foreach (var invocation in _emulator!.Invocations)
        {
            if (!names.Contains(invocation.FunctionName) || invocation.StartedAt < opened || invocation.StartedAt > closed)
            {
                continue;
            }

            var report = await _reports.GetAsync(invocation.RequestId, ct);
            result.Add(new Invocation(invocation.FunctionName, invocation.Status.ToString(), invocation.ColdStart,
                invocation.ProcessId, invocation.StartedAt, report.DurationMs, report.BilledMs, report.InitMs));
        }

        return result;
    }

    /// <summary>Per function: invocations and billed ms per trip, and the peak RSS of each of its live instances.</summary>
    private List<FunctionUsage> PerFunction(LambdaSystem system, List<Invocation> invocations, int trips) =>
    [
        .. system.Functions.Select(function =>
        {
            var own = invocations.Where(i => i.Function == function.Name).ToList();
            var pids = _emulator!.GetFunction(function.Name).ProcessIds;
            return new FunctionUsage(function.Name, (double)own.Count / trips, own.Sum(i => i.BilledMs) / trips,
                [.. pids.Select(PeakRssKb)], [.. own.Select(i => Math.Round(i.DurationMs, 3))]);
        }),
    ];

    private static long PeakRssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var value = line["VmHWM:".Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmHWM: the instance is not running.");
    }

    private async Task<T> ExplainFailureAsync<T>(LambdaSystem system, RestateServer server, Func<Task<T>> loop)
    {
        try
        {
            return await loop();
        }
        catch (TripNotBookedException e)
        {
            var functions = string.Join('\n', system.Functions.Select(f =>
                $"--- last lines of {f.Name} ---\n{string.Join('\n', _emulator!.GetFunction(f.Name).RecentLog.TakeLast(15))}"));
            throw new TripNotBookedException(
                $"{system.Name}: {e.Message}\n{functions}\n--- last lines of restate-server output ---\n" +
                string.Join('\n', server.RecentLog.TakeLast(30)), e);
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    /// <summary>One Lambda invocation with its REPORT figures.</summary>
    private sealed record Invocation(string Function, string Status, bool ColdStart, int ProcessId, DateTimeOffset StartedAt,
        double DurationMs, double BilledMs, double? InitMs);
}
