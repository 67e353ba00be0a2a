using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Restate.Sdk.Testing;

/// <summary>
/// Lifecycle helpers for the server processes a test run starts (restate-server, DynamoDB Local, …): a graceful stop
/// with SIGTERM, and a safety net that SIGKILLs the processes still running when the test process ends.
/// Only the processes passed in are ever signalled.
/// </summary>
internal static class ChildProcesses
{
    private static readonly TimeSpan ExitHookWait = TimeSpan.FromSeconds(2);

    // Processes that may still be running, killed when the test process ends.
    private static readonly ConcurrentDictionary<Guard, byte> Guarded = new();
    private static int _hooksInstalled;
    // Kept reachable for the life of the process: a collected registration would unregister its handler.
    private static PosixSignalRegistration[] _signalRegistrations = [];

    /// <summary>
    /// Sends SIGTERM to <paramref name="processId"/>. <see cref="Process.Kill()"/> can only send SIGKILL.
    /// </summary>
    /// <param name="processId">The PID of a process this test run started.</param>
    /// <returns>True if the signal was sent; false if the process no longer exists, or on Windows (no signals).</returns>
    public static bool TrySendTerminate(int processId) =>
        !OperatingSystem.IsWindows() && NativeMethods.TrySignal(processId, NativeMethods.SigTerm);

    /// <summary>
    /// Stops <paramref name="process"/>: SIGTERM, then SIGKILL if it has not exited within
    /// <paramref name="gracePeriod"/>. A zero grace period kills at once (a crash).
    /// </summary>
    /// <param name="process">A process this test run started. It is not disposed.</param>
    /// <param name="gracePeriod">How long to wait after SIGTERM before SIGKILL.</param>
    /// <returns>A task that completes once the process has exited and its redirected output is drained.</returns>
    public static async Task StopAsync(Process process, TimeSpan gracePeriod)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (gracePeriod > TimeSpan.Zero && !process.HasExited && TrySendTerminate(process.Id))
        {
            using var timeout = new CancellationTokenSource(gracePeriod);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to SIGKILL.
            }
        }

        if (!process.HasExited)
        {
            try
            {
                process.Kill(); // SIGKILL
            }
            catch (InvalidOperationException)
            {
                // Exited in the meantime.
            }
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes sure <paramref name="process"/> does not outlive the test process: if it is still running at
    /// <see cref="AppDomain.ProcessExit"/>, at an unhandled exception, or when the test process receives SIGTERM,
    /// SIGINT, SIGHUP or SIGQUIT, it is SIGKILLed and then <paramref name="cleanup"/> runs. (Since .NET 10 the runtime
    /// no longer turns SIGTERM into <c>ProcessExit</c>, hence the signal handlers. They do not cancel the signal.)
    /// Nothing can run if the test process itself is SIGKILLed.
    /// </summary>
    /// <param name="process">A started process this test run owns.</param>
    /// <param name="cleanup">Runs after the kill, e.g. to delete the process's data directory. Exceptions are
    /// ignored.</param>
    /// <returns>Dispose it once the process has been stopped normally, before disposing the process.</returns>
    public static IDisposable KillOnExit(Process process, Action? cleanup = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        EnsureHooks();
        var guard = new Guard(process, cleanup);
        Guarded[guard] = 0;
        return guard;
    }

    private static void EnsureHooks()
    {
        if (Interlocked.Exchange(ref _hooksInstalled, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillGuarded();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillGuarded();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _signalRegistrations =
            [
                .. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
                    .Select(signal => PosixSignalRegistration.Create(signal, _ => KillGuarded())),
            ];
        }
    }

    private static void KillGuarded()
    {
        foreach (var guard in Guarded.Keys)
        {
            guard.KillNow();
        }
    }

    private sealed class Guard(Process process, Action? cleanup) : IDisposable
    {
        public void KillNow()
        {
            if (!Guarded.TryRemove(this, out _))
            {
                return;
            }

            try
            {
                if (!process.HasExited)
                {
                    process.Kill(); // SIGKILL: the test run is ending, no time for a graceful stop.
                    process.WaitForExit(ExitHookWait);
                }
            }
#pragma warning disable CA1031 // Best effort while the test process exits (the Process may be disposed already).
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            try
            {
                cleanup?.Invoke();
            }
#pragma warning disable CA1031 // Best effort while the test process exits.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        public void Dispose() => Guarded.TryRemove(this, out _);
    }
}
