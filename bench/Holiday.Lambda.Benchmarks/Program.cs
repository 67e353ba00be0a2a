using System.Text.Json;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Lambda.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Holiday.Lambda.Benchmarks</c>. Publishes the Native AOT
/// <c>bootstrap</c>, builds the JIT variant, runs both as Lambda functions in the local emulator (alternating, so that
/// machine noise hits both alike), prints a Markdown table and writes <c>results.json</c>. See docs/benchmarks.md.
/// </summary>
internal static class Program
{
    private const int WarmUpInvocations = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> Main(string[] args)
    {
        if (BenchCommandLine.Parse(BenchOptions.Command, args, out var exitCode) is not { } parsed)
        {
            return exitCode;
        }

        var options = BenchOptions.From(parsed);

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var root = NpmTools.FindRepositoryRoot("@restatedev/restate-server")
            ?? throw new InvalidOperationException("Run this from inside the repository (the folder with package.json).");
        var output = options.OutputPath ?? Path.Combine(root, "bench", "Holiday.Lambda.Benchmarks", "results.json");
        var work = Path.Combine(Path.GetTempPath(), $"holiday-lambda-bench-{Environment.ProcessId}");
        try
        {
            var results = await RunAsync(options, root, work, args, cancellation.Token);
            Console.WriteLine(results.ToMarkdown());
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, Json) + "\n", cancellation.Token);
            await Console.Error.WriteLineAsync($"Wrote {output}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<BenchResults> RunAsync(BenchOptions options, string root, string work, string[] args,
        CancellationToken ct)
    {
        var (aot, jit) = await Builds.PrepareAsync(root, work, Log, ct);
        var loadBefore = MachineInfo.LoadAverage();

        // Discovery touches no table: the DynamoDB endpoint only has to be a URL (the discard port here).
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOLIDAY_SERVICE"] = options.Service,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:9",
            ["AWS_ACCESS_KEY_ID"] = "bench",
            ["AWS_SECRET_ACCESS_KEY"] = "bench",
        };
        await using var emulator = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions(), ct);
        foreach (var variant in new[] { aot, jit })
        {
            emulator.AddFunction(new LambdaFunctionDefinition
            {
                Name = variant.FunctionName,
                StartInfoFactory = variant.CreateStartInfo,
                Environment = environment,
            });
        }

        var runner = new Runner(emulator, TimeSpan.FromMilliseconds(options.SettleMilliseconds));
        Variant[] aotFirst = [aot, jit];
        Variant[] jitFirst = [jit, aot];

        // Warm-up, not recorded: the emulator's own first Kestrel listener and HTTP client, the page cache of both
        // builds, and a check that both answer discovery.
        Log("Warm-up: one cold start and a few invocations per variant (not recorded)…");
        foreach (var variant in aotFirst)
        {
            await runner.ColdAsync(variant, round: 0, first: variant == aot, ct);
            for (var i = 0; i < WarmUpInvocations; i++)
            {
                await runner.WarmAsync(variant, ct);
            }
        }

        var cold = new Dictionary<Variant, List<ColdSample>> { [aot] = [], [jit] = [] };
        for (var round = 1; round <= options.ColdRounds; round++)
        {
            var order = round % 2 == 1 ? aotFirst : jitFirst;
            foreach (var variant in order)
            {
                cold[variant].Add(await runner.ColdAsync(variant, round, first: variant == order[0], ct));
            }

            Log($"Cold round {round}/{options.ColdRounds}: " + string.Join(", ", order.Select(v =>
                FormattableString.Invariant($"{v.Label} {cold[v][^1].ProcessToResponseMs:F1} ms"))));
        }

        // The instances left by the last cold round serve every warm invocation, alternating variants.
        var warm = new Dictionary<Variant, List<WarmSample>> { [aot] = [], [jit] = [] };
        for (var i = 0; i < options.WarmRounds; i++)
        {
            foreach (var variant in i % 2 == 0 ? aotFirst : jitFirst)
            {
                warm[variant].Add(await runner.WarmAsync(variant, ct));
            }
        }

        Log($"Warm: {options.WarmRounds} invocations per variant done.");
        var memory = new Dictionary<Variant, ProcStatus>
        {
            [aot] = ProcStatus.Read(runner.ProcessId(aot)),
            [jit] = ProcStatus.Read(runner.ProcessId(jit)),
        };
        foreach (var variant in aotFirst)
        {
            await emulator.StopInstancesAsync(variant.FunctionName);
        }

        var machine = MachineInfo.Describe(loadBefore);
        return new BenchResults(
            DateTimeOffset.UtcNow,
            "dotnet run -c Release --project bench/Holiday.Lambda.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
            options,
            machine,
            Result(aot, "bootstrap (Native AOT, linux-x64)", sharedRuntimeBytes: 0),
            Result(jit, "bootstrap.dll (framework-dependent, run with dotnet)", SharedRuntimeBytes()));

        VariantResult Result(Variant variant, string binary, long sharedRuntimeBytes) => new(
            variant.Label,
            binary,
            variant.BinaryBytes,
            variant.FolderBytes,
            variant.FolderFiles,
            sharedRuntimeBytes,
            ColdSummary.Of(cold[variant]),
            WarmSummary.Of(warm[variant]),
            memory[variant].PeakRssKb,
            memory[variant].RssKb,
            cold[variant],
            warm[variant]);
    }

    /// <summary>
    /// Bytes of the shared framework this process runs on (Microsoft.NETCore.App), which the JIT variant loads too: it
    /// is started with the same <c>dotnet</c> host and rolls forward to the same runtime.
    /// </summary>
    private static long SharedRuntimeBytes()
    {
        var folder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        return string.IsNullOrEmpty(folder)
            ? 0
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}
