using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Holiday.LoadTest.Results;

/// <summary>Where and with what the numbers were taken.</summary>
internal sealed record MachineInfo(
    string Cpu,
    int Nproc,
    long MemoryKb,
    string Os,
    string Kernel,
    string DotnetRuntime,
    string DotnetSdk,
    string Node,
    string Java,
    string RestateServer,
    string? TsRestateSdk)
{
    public static async Task<MachineInfo> DescribeAsync(string repositoryRoot, string? tsHolidayDirectory, CancellationToken ct) => new(
        Field("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        long.TryParse((Field("/proc/meminfo", "MemTotal", ':') ?? "").Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : 0,
        Field("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        File.Exists("/proc/sys/kernel/osrelease") ? (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", ct)).Trim() : "?",
        RuntimeInformation.FrameworkDescription,
        await FirstLineAsync("dotnet", "--version", ct),
        await FirstLineAsync("node", "--version", ct),
        await FirstLineAsync("java", "-version", ct),
        PackageVersion(Path.Combine(repositoryRoot, "node_modules", "@restatedev", "restate-server")) ?? "?",
        tsHolidayDirectory is null ? null : PackageVersion(Path.Combine(tsHolidayDirectory, "node_modules", "@restatedev", "restate-sdk")));

    /// <summary>The <c>version</c> of an installed npm package, or null.</summary>
    private static string? PackageVersion(string packageDirectory)
    {
        var file = Path.Combine(packageDirectory, "package.json");
        return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))?["version"]?.GetValue<string>() : null;
    }

    /// <summary>The first line a tool prints on stdout or stderr (java prints its version on stderr), or "?".</summary>
    private static async Task<string> FirstLineAsync(string file, string argument, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var text = (await stdout).Trim().Length > 0 ? await stdout : await stderr;
            return text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?"; // not installed
        }
    }

    private static string? Field(string path, string key, char separator) =>
        File.Exists(path)
            ? File.ReadLines(path)
                .Select(line => line.Split(separator, 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault()
            : null;
}
