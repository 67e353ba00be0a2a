using System.Globalization;

namespace Holiday.LoadTest.Measurement;

/// <summary>The few <c>/proc</c> files the load test reads: CPU ticks, context switches, parent PIDs and peak resident memory.</summary>
internal static class ProcFs
{
    /// <summary>
    /// <c>/proc/&lt;pid&gt;/stat</c> counts CPU time in USER_HZ ticks (<c>sysconf(_SC_CLK_TCK)</c>), which the Linux ABI
    /// fixes at 100 on x86-64 and arm64 whatever the kernel's own tick rate.
    /// </summary>
    public const double TicksPerSecond = 100;

    /// <summary>
    /// CPU ticks of <paramref name="pid"/>: <c>utime + stime</c> of all its threads, plus with
    /// <paramref name="withReapedChildren"/> <c>cutime + cstime</c>, the CPU of children that exited and were waited for.
    /// </summary>
    /// <returns>The ticks, or null if the process is gone.</returns>
    public static long? CpuTicks(int pid, bool withReapedChildren)
    {
        if (ReadStatFields(pid) is not { } fields)
        {
            return null;
        }

        // Fields after "(comm)": [0] state, [1] ppid, …, [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = Field(fields, 11) + Field(fields, 12);
        return withReapedChildren ? ticks + Field(fields, 13) + Field(fields, 14) : ticks;
    }

    /// <summary><paramref name="root"/> and every process descending from it, root first.</summary>
    public static IReadOnlyList<int> ProcessTree(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ReadStatFields(pid) is not { } fields)
            {
                continue;
            }

            var parent = (int)Field(fields, 1);
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var list))
            {
                tree.AddRange(list);
            }
        }

        return tree;
    }

    /// <summary>
    /// Resets the peak resident set size (VmHWM) of <paramref name="pid"/> to its current RSS by writing 5 to
    /// <c>/proc/&lt;pid&gt;/clear_refs</c> (Linux 4.0+).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file cannot be written (another user's process, or an
    /// emulated <c>/proc</c>).</exception>
    public static void ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            if (Exists(pid))
            {
                throw new InvalidOperationException(
                    $"Cannot reset the peak RSS of pid {pid} through /proc/{pid}/clear_refs ({e.Message}); the load test needs Linux 4.0+ and its own processes.", e);
            }
        }
    }

    /// <summary>VmHWM of <paramref name="pid"/> in KiB: its peak resident set size since start or the last reset; 0 if
    /// the process is gone.</summary>
    public static long PeakRssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    // "VmHWM:\t   23456 kB"
                    var value = line["VmHWM:".Length..].Trim();
                    var space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }

            return 0; // a zombie has no memory left
        }
        catch (IOException)
        {
            return 0; // exited meanwhile
        }
    }

    /// <summary>
    /// Context switches of <paramref name="pid"/>: <c>voluntary_ctxt_switches + nonvoluntary_ctxt_switches</c> of every
    /// live thread (<c>/proc/&lt;pid&gt;/task/*/status</c>). A thread that exits takes its count with it; the servers
    /// measured here keep their threads for the whole window.
    /// </summary>
    /// <returns>The switches, or 0 if the process is gone.</returns>
    public static long ContextSwitches(int pid)
    {
        var total = 0L;
        try
        {
            foreach (var thread in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                total += ThreadContextSwitches(Path.Combine(thread, "status"));
            }
        }
        catch (IOException)
        {
            // exited meanwhile: what was counted so far stands
        }

        return total;
    }

    private static long ThreadContextSwitches(string statusFile)
    {
        var total = 0L;
        try
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                // "voluntary_ctxt_switches:\t123" and "nonvoluntary_ctxt_switches:\t4"
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                    || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    total += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // the thread exited meanwhile
        }

        return total;
    }

    /// <summary>
    /// Busy CPU ticks of the whole machine, all cores, from the first line of <c>/proc/stat</c>: user + nice + system +
    /// irq + softirq + steal (guest time is already part of user).
    /// </summary>
    public static long MachineBusyTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "cpu user nice system idle iowait irq softirq steal guest guest_nice"
        return Field(fields, 1) + Field(fields, 2) + Field(fields, 3) + Field(fields, 6) + Field(fields, 7) + Field(fields, 8);
    }

    /// <summary>The first three fields of <c>/proc/loadavg</c>, e.g. <c>1.52 1.87 2.03</c>.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static bool Exists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The space-separated fields after the closing parenthesis of the command name (which may hold spaces).</summary>
    private static string[]? ReadStatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }

        var end = text.LastIndexOf(')');
        return end < 0 ? null : text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static long Field(string[] fields, int index) =>
        long.Parse(fields[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
