using System.Runtime.InteropServices;

namespace Restate.Sdk.Testing;

/// <summary>POSIX signals. <see cref="System.Diagnostics.Process.Kill()"/> only ever sends SIGKILL.</summary>
internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false if the process is already gone.</summary>
    public static bool TrySignal(int pid, int signal) => Kill(pid, signal) == 0;
}
