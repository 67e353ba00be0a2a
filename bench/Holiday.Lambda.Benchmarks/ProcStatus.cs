using System.Globalization;

namespace Holiday.Lambda.Benchmarks;

/// <summary>Memory of a live process from <c>/proc/&lt;pid&gt;/status</c>, in KiB.</summary>
/// <param name="PeakRssKb">VmHWM: the peak resident set size since the process started.</param>
/// <param name="RssKb">VmRSS: the resident set size now.</param>
internal readonly record struct ProcStatus(long PeakRssKb, long RssKb)
{
    /// <summary>Reads the status of <paramref name="pid"/>.</summary>
    /// <exception cref="InvalidOperationException">The file lacks VmHWM or VmRSS (the process is a zombie).</exception>
    public static ProcStatus Read(int pid)
    {
        long? peak = null;
        long? current = null;
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line);
            }
        }

        return peak is { } p && current is { } c
            ? new ProcStatus(p, c)
            : throw new InvalidOperationException($"/proc/{pid}/status has no VmHWM/VmRSS: the process is not running.");
    }

    // "VmHWM:\t   23456 kB"
    private static long Kilobytes(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
