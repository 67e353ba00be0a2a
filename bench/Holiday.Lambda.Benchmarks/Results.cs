using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Holiday.Lambda.Benchmarks;

/// <summary>Cold-start statistics over the measured rounds (see <see cref="ColdSample"/> for each field).</summary>
internal sealed record ColdSummary(Summary ProcessToResponseMs, Summary InvokeMs, Summary ClientMs, Summary InitMs,
    Summary FunctionMs, Summary PeakRssKb, Summary SecondClientMs, Summary SecondFunctionMs)
{
    public static ColdSummary Of(IReadOnlyList<ColdSample> samples) => new(
        Summary.Of([.. samples.Select(s => s.ProcessToResponseMs)]),
        Summary.Of([.. samples.Select(s => s.InvokeMs)]),
        Summary.Of([.. samples.Select(s => s.ClientMs)]),
        Summary.Of([.. samples.Select(s => s.InitMs)]),
        Summary.Of([.. samples.Select(s => s.FunctionMs)]),
        Summary.Of([.. samples.Select(s => (double)s.PeakRssKb)]),
        Summary.Of([.. samples.Select(s => s.SecondClientMs)]),
        Summary.Of([.. samples.Select(s => s.SecondFunctionMs)]));
}

/// <summary>Warm-invocation statistics (see <see cref="WarmSample"/>).</summary>
internal sealed record WarmSummary(Summary ClientMs, Summary InvokeMs, Summary FunctionMs)
{
    public static WarmSummary Of(IReadOnlyList<WarmSample> samples) => new(
        Summary.Of([.. samples.Select(s => s.ClientMs)]),
        Summary.Of([.. samples.Select(s => s.InvokeMs)]),
        Summary.Of([.. samples.Select(s => s.FunctionMs)]));
}

/// <summary>Everything measured for one variant.</summary>
internal sealed record VariantResult(
    string Label,
    string Binary,
    long BinaryBytes,
    long FolderBytes,
    int FolderFiles,
    long SharedRuntimeBytes,
    ColdSummary Cold,
    WarmSummary Warm,
    long PeakRssAfterWarmKb,
    long RssAfterWarmKb,
    IReadOnlyList<ColdSample> ColdSamples,
    IReadOnlyList<WarmSample> WarmSamples);

/// <summary>Where the numbers were taken.</summary>
internal sealed record MachineInfo(string Cpu, int LogicalCpus, long MemoryKb, string Os, string Kernel, string Runtime,
    string LoadAverageBefore, string LoadAverageAfter)
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static MachineInfo Describe(string loadBefore) => new(
        Field("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        long.TryParse((Field("/proc/meminfo", "MemTotal", ':') ?? "").Split(' ')[0], NumberStyles.None,
            CultureInfo.InvariantCulture, out var kb) ? kb : 0,
        Field("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        loadBefore,
        LoadAverage());

    private static string? Field(string path, string key, char separator) =>
        File.Exists(path)
            ? File.ReadLines(path)
                .Select(line => line.Split(separator, 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault()
            : null;
}

/// <summary>The JSON document (<c>results.json</c>).</summary>
internal sealed record BenchResults(
    DateTimeOffset Date,
    string Command,
    BenchOptions Settings,
    MachineInfo Machine,
    VariantResult Aot,
    VariantResult Jit)
{
    /// <summary>The table printed at the end and pasted into docs/benchmarks.md.</summary>
    public string ToMarkdown()
    {
        var rows = new StringBuilder();
        rows.AppendLine(CultureInfo.InvariantCulture, $"| Metric | {Aot.Label} | {Jit.Label} | {Jit.Label} ÷ {Aot.Label} |");
        rows.AppendLine("| --- | ---: | ---: | ---: |");
        var cold = Aot.Cold.ProcessToResponseMs.Count;
        var warm = Aot.Warm.ClientMs.Count;
        Time($"Cold start: process start → first response, p50 (n = {cold})", v => v.Cold.ProcessToResponseMs.P50);
        Time("Cold start: process start → first response, p90", v => v.Cold.ProcessToResponseMs.P90);
        Time("Cold start: process start → first response, min", v => v.Cold.ProcessToResponseMs.Min);
        Time("Cold start: Invoke → response in the emulator (+ Runtime API listener start), p50", v => v.Cold.InvokeMs.P50);
        Time("Cold start: client wall-clock around `InvokeAsync`, p50", v => v.Cold.ClientMs.P50);
        Time("Cold start: Lambda Init Duration (to the first `/next`), p50", v => v.Cold.InitMs.P50);
        Time("Cold start: Lambda Duration of the first invocation, p50", v => v.Cold.FunctionMs.P50);
        Time("Second invocation (first warm): client, p50", v => v.Cold.SecondClientMs.P50);
        Time("Second invocation (first warm): Lambda Duration, p50", v => v.Cold.SecondFunctionMs.P50);
        Time($"Warm: client wall-clock, p50 (n = {warm})", v => v.Warm.ClientMs.P50);
        Time("Warm: client wall-clock, p90", v => v.Warm.ClientMs.P90);
        Time("Warm: client wall-clock, p99", v => v.Warm.ClientMs.P99);
        Time("Warm: Lambda Duration (in the function), p50", v => v.Warm.FunctionMs.P50);
        Time("Warm: Lambda Duration (in the function), p90", v => v.Warm.FunctionMs.P90);
        Time("Warm: Lambda Duration (in the function), p99", v => v.Warm.FunctionMs.P99);
        Memory("Peak RSS (VmHWM) right after the first response, p50", v => (long)v.Cold.PeakRssKb.P50);
        Memory($"Peak RSS (VmHWM) after the {warm} warm invocations", v => v.PeakRssAfterWarmKb);
        Memory("RSS (VmRSS) after the warm invocations", v => v.RssAfterWarmKb);
        Row("Size: `bootstrap` (AOT) / build output folder (JIT)", Aot.BinaryBytes, Jit.FolderBytes, Bytes);
        Row("Size: all it runs from (AOT: `bootstrap` + `libsodium.so`; JIT: build output + shared runtime)",
            Aot.FolderBytes + Aot.SharedRuntimeBytes, Jit.FolderBytes + Jit.SharedRuntimeBytes, Bytes);
        return rows.ToString();

        void Time(string label, Func<VariantResult, double> value) =>
            Row(label, value(Aot), value(Jit), x => x.ToString("F1", CultureInfo.InvariantCulture) + " ms");

        void Memory(string label, Func<VariantResult, long> value) =>
            Row(label, value(Aot), value(Jit), x => (x / 1024).ToString("F1", CultureInfo.InvariantCulture) + " MiB");

        static string Bytes(double x) => x < 1024 * 1024
            ? (x / 1024).ToString("F0", CultureInfo.InvariantCulture) + " KiB"
            : (x / 1024 / 1024).ToString("F2", CultureInfo.InvariantCulture) + " MiB";

        void Row(string label, double aot, double jit, Func<double, string> format) =>
            rows.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {format(aot)} | {format(jit)} | {(aot > 0 ? (jit / aot).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–")} |");
    }
}
