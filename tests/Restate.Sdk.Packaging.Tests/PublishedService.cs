using System.Diagnostics;
using System.Text.RegularExpressions;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Packaging.Tests;

/// <summary>A published ASP.NET Core service run as its users run it, on a port Kestrel picks on 127.0.0.1.</summary>
internal sealed partial record PublishedService(ManagedProcess Process, Uri Uri) : IAsyncDisposable
{
    /// <summary>Starts <paramref name="executable"/> and waits for the line that says where it listens.</summary>
    public static async Task<PublishedService> StartAsync(string executable, object owner, Action<string> log)
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        ManagedProcess? process = null;
        process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = owner,
            DisplayName = Path.GetFileName(executable),
            CreateStartInfo = () => new ProcessStartInfo(executable) { ArgumentList = { "--urls", "http://127.0.0.1:0" } },
            StartFailed = e => new InvalidOperationException($"Could not start {executable}: {e.Message}", e),
            Log = line =>
            {
                log(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            },
            CreateReadiness = () => new ManagedProcessReadiness(
                _ => Task.FromResult(listening.Task.IsCompleted),
                pid => new TimeoutException($"{executable} (pid {pid}) did not say where it listens.\n{process!.FormatRecentLog()}")),
            ExitedDuringStart = (pid, code) => new InvalidOperationException($"{executable} (pid {pid}) exited with {code}.\n{process!.FormatRecentLog()}"),
            StartupTimeout = TimeSpan.FromSeconds(30),
        });
        await process.StartAsync(CancellationToken.None);
        return new PublishedService(process, await listening.Task);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
