namespace Holiday.LoadTest.Measurement;

/// <summary>A process whose cost the load test reports.</summary>
/// <param name="Role">What it is in the system: <see cref="Roles"/>.</param>
/// <param name="Name">What runs, e.g. <c>Holiday.Host (dotnet)</c>.</param>
/// <param name="ProcessId">The PID, or the root of the process tree.</param>
/// <param name="WithDescendants">Whether processes it starts count too (false for the load generator itself, whose
/// children are the servers it measures).</param>
internal sealed record MeteredProcess(string Role, string Name, int ProcessId, bool WithDescendants = true);

/// <summary>The roles of the metered processes, in report order.</summary>
internal static class Roles
{
    public const string RestateServer = "restate-server";
    public const string Service = "service";
    public const string DynamoDb = "dynamodb-local";
    public const string LoadGenerator = "load-generator";

    public static IReadOnlyList<string> All { get; } = [RestateServer, Service, DynamoDb, LoadGenerator];
}

/// <summary>What one process (tree) cost during a measured window.</summary>
/// <param name="Role">See <see cref="MeteredProcess.Role"/>.</param>
/// <param name="Name">See <see cref="MeteredProcess.Name"/>.</param>
/// <param name="ProcessId">The PID (tree root).</param>
/// <param name="Processes">How many processes the tree held at the end of the window.</param>
/// <param name="CpuSeconds">User + system CPU time spent in the window, summed over the tree.</param>
/// <param name="PeakRssKb">Sum over the tree of each process's peak RSS (VmHWM) in the window, KiB.</param>
/// <param name="ContextSwitches">Voluntary and involuntary context switches of all threads of the tree in the window:
/// how often a thread went to sleep or was preempted, i.e. the hand-offs between threads the work needed.</param>
internal sealed record ProcessUsage(string Role, string Name, int ProcessId, int Processes, double CpuSeconds, long PeakRssKb,
    long ContextSwitches)
{
    public double CpuMsPerTrip(int trips) => CpuSeconds * 1000 / trips;
}

/// <summary>What a window cost: each metered process, and the busy CPU time of the whole machine.</summary>
/// <param name="Processes">Per metered process.</param>
/// <param name="MachineCpuSeconds">Busy CPU time of all cores together in the window, whoever used it.</param>
internal sealed record WindowUsage(IReadOnlyList<ProcessUsage> Processes, double MachineCpuSeconds)
{
    /// <summary>CPU time used by processes outside the load test (other work on the machine) in the window.</summary>
    public double OtherCpuSeconds => Math.Max(0, MachineCpuSeconds - Processes.Sum(p => p.CpuSeconds));
}

/// <summary>
/// CPU time, context switches and peak memory of a set of processes between <see cref="Open"/> and <see cref="Close"/>, from
/// <c>/proc</c>: CPU as the difference of <c>utime + stime (+ cutime + cstime)</c> summed over each process tree,
/// peak memory as VmHWM after resetting it through <c>clear_refs</c> when the window opens.
/// </summary>
internal sealed class ProcessWindow
{
    private readonly IReadOnlyList<MeteredProcess> _processes;
    private readonly long[] _startTicks;
    private readonly long[] _startSwitches;
    private readonly long _machineStartTicks;

    private ProcessWindow(IReadOnlyList<MeteredProcess> processes, long[] startTicks, long[] startSwitches, long machineStartTicks)
    {
        _processes = processes;
        _startTicks = startTicks;
        _startSwitches = startSwitches;
        _machineStartTicks = machineStartTicks;
    }

    /// <summary>Takes the CPU readings and resets every process's peak RSS to its current RSS.</summary>
    public static ProcessWindow Open(IReadOnlyList<MeteredProcess> processes)
    {
        var ticks = new long[processes.Count];
        var switches = new long[processes.Count];
        for (var i = 0; i < processes.Count; i++)
        {
            foreach (var pid in Members(processes[i]))
            {
                ProcFs.ResetPeakRss(pid);
            }

            ticks[i] = Ticks(processes[i]);
            switches[i] = Members(processes[i]).Sum(ProcFs.ContextSwitches);
        }

        return new ProcessWindow(processes, ticks, switches, ProcFs.MachineBusyTicks());
    }

    /// <summary>The CPU time spent since <see cref="Open"/> and the peak RSS reached meanwhile.</summary>
    /// <exception cref="InvalidOperationException">A metered process exited during the window.</exception>
    public WindowUsage Close()
    {
        var machineTicks = ProcFs.MachineBusyTicks();
        var usage = new List<ProcessUsage>(_processes.Count);
        for (var i = 0; i < _processes.Count; i++)
        {
            var process = _processes[i];
            var members = Members(process);
            var ticks = Ticks(process);
            usage.Add(new ProcessUsage(process.Role, process.Name, process.ProcessId, members.Count,
                (ticks - _startTicks[i]) / ProcFs.TicksPerSecond, members.Sum(ProcFs.PeakRssKb),
                Math.Max(0, members.Sum(ProcFs.ContextSwitches) - _startSwitches[i])));
        }

        return new WindowUsage(usage, (machineTicks - _machineStartTicks) / ProcFs.TicksPerSecond);
    }

    private static IReadOnlyList<int> Members(MeteredProcess process) =>
        process.WithDescendants ? ProcFs.ProcessTree(process.ProcessId) : [process.ProcessId];

    private static long Ticks(MeteredProcess process)
    {
        var total = 0L;
        foreach (var pid in Members(process))
        {
            // The CPU of a child that exits and is reaped moves into its parent's cutime/cstime, so it stays counted.
            // The load generator's own reaped children are the servers of earlier runs: not counted.
            var ticks = ProcFs.CpuTicks(pid, withReapedChildren: process.WithDescendants);
            if (ticks is null && pid == process.ProcessId)
            {
                throw new InvalidOperationException($"{process.Name} (pid {pid}, {process.Role}) is no longer running.");
            }

            total += ticks ?? 0;
        }

        return total;
    }
}
