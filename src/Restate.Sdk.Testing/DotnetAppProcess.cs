using System.Diagnostics;

namespace Restate.Sdk.Testing;

/// <summary>
/// Runs a .NET app (<c>dotnet app.dll</c>) as a <see cref="ManagedProcess"/>, for tests that must kill a service the
/// way a crash would and start it again: ready once it prints a line starting with the given prefix.
/// </summary>
internal static class DotnetAppProcess
{
    /// <summary>Starts the app and waits until it prints a line starting with <paramref name="readyLinePrefix"/>.</summary>
    /// <param name="assemblyPath">The app's dll.</param>
    /// <param name="arguments">Command-line arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="readyLinePrefix">The start of the line the app prints once it serves requests.</param>
    /// <param name="ct">Cancels the start; the process is then killed.</param>
    /// <returns>The running process; <see cref="ManagedProcess.KillAsync"/> and <see cref="ManagedProcess.RestartAsync"/> simulate a crash and a restart.</returns>
    /// <exception cref="InvalidOperationException">The app could not start or exited before it was ready.</exception>
    /// <exception cref="TimeoutException">The app printed no ready line within 30 seconds.</exception>
    public static async Task<ManagedProcess> StartAsync(string assemblyPath, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, string readyLinePrefix, CancellationToken ct = default)
    {
        var name = Path.GetFileNameWithoutExtension(assemblyPath);
        var ready = new ReadyFlag();
        ManagedProcess? process = null;
        process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = name,
            DisplayName = name,
            CreateStartInfo = () =>
            {
                var start = new ProcessStartInfo("dotnet") { ArgumentList = { assemblyPath } };
                foreach (var argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }
                foreach (var (key, value) in environment)
                {
                    start.Environment[key] = value;
                }
                return start;
            },
            StartFailed = e => new InvalidOperationException($"Could not start dotnet {assemblyPath}: {e.Message}", e),
            CreateReadiness = () =>
            {
                ready.Reset();
                return new ManagedProcessReadiness(_ => Task.FromResult(ready.IsSet),
                    pid => new TimeoutException($"{name} (pid {pid}) printed no line starting with '{readyLinePrefix}' in time.\n{process!.FormatRecentLog()}"));
            },
            ExitedDuringStart = (pid, exitCode) =>
                new InvalidOperationException($"{name} (pid {pid}) exited with code {exitCode} before it was ready.\n{process!.FormatRecentLog()}"),
            StartupTimeout = TimeSpan.FromSeconds(30),
            Log = line =>
            {
                if (line.StartsWith(readyLinePrefix, StringComparison.Ordinal))
                {
                    ready.Set();
                }
            },
        });
        await process.StartAsync(ct).ConfigureAwait(false);
        return process;
    }

    private sealed class ReadyFlag
    {
        private volatile bool _set;

        public bool IsSet => _set;

        public void Set() => _set = true;

        public void Reset() => _set = false;
    }
}
