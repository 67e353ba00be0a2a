using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Restate.Sdk.Testing;

/// <summary>
/// How a <see cref="ManagedProcess"/> launches its process and decides that it is ready.
/// </summary>
internal sealed record ManagedProcessOptions
{
    /// <summary>The object named in <see cref="ObjectDisposedException"/> once the process has been disposed.</summary>
    public required object Owner { get; init; }

    /// <summary>How output and error messages name the process, e.g. <c>restate-server</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Creates the start settings for each launch; stdout and stderr must be redirected.</summary>
    public required Func<ProcessStartInfo> CreateStartInfo { get; init; }

    /// <summary>Turns the failure to start the executable into the exception to throw.</summary>
    public required Func<Win32Exception, Exception> StartFailed { get; init; }

    /// <summary>Creates the readiness check for one launch; it is polled until it reports ready.</summary>
    public required Func<ManagedProcessReadiness> CreateReadiness { get; init; }

    /// <summary>Creates the exception thrown when the process exits during start-up, from its PID and exit code.
    /// It is called after the process has been cleaned up, so <see cref="ManagedProcess.RecentLog"/> is complete.</summary>
    public required Func<int, int, Exception> ExitedDuringStart { get; init; }

    /// <summary>How long a launch may take until the readiness check passes.</summary>
    public required TimeSpan StartupTimeout { get; init; }

    /// <summary>How many output lines <see cref="ManagedProcess.RecentLog"/> keeps.</summary>
    public int RecentLogCapacity { get; init; } = 200;

    /// <summary>Receives every output line. Exceptions it throws are ignored.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Whether an output line says that a port was already in use (see
    /// <see cref="ManagedProcess.AddressInUse"/>).</summary>
    public Func<string, bool>? IsAddressInUseLine { get; init; }

    /// <summary>Runs if the test process ends while the process is still running, after it has been killed (see
    /// <see cref="ChildProcesses.KillOnExit"/>).</summary>
    public Action? CleanupOnExit { get; init; }

    /// <summary>Runs once on dispose, after the process has been stopped, e.g. to delete data and release ports.</summary>
    public Action? Disposed { get; init; }

    /// <summary>How long a graceful stop waits after SIGTERM before SIGKILL. Defaults to 10 seconds.</summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>The readiness check of one launch of a <see cref="ManagedProcess"/>.</summary>
/// <param name="IsReady">Polled until it returns true; it should return false (not throw) while the process is
/// still starting.</param>
/// <param name="NotReadyInTime">Creates the exception thrown when <see cref="ManagedProcessOptions.StartupTimeout"/>
/// has passed, from the process's PID. It is called after the process has been killed.</param>
internal sealed record ManagedProcessReadiness(
    Func<CancellationToken, Task<bool>> IsReady,
    Func<int, Exception> NotReadyInTime);

/// <summary>
/// A child server process for tests: launches it, captures its output into a recent-lines buffer, waits for
/// readiness, and stops (SIGTERM, then SIGKILL), kills or restarts it under one lifecycle lock. The process is
/// registered with <see cref="ChildProcesses.KillOnExit"/> while it runs.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ManagedProcessOptions _options;
    private readonly LogBuffer _log;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private IDisposable? _killOnExit;
    private volatile bool _addressInUse;
    private volatile bool _disposed;

    /// <summary>Creates the manager; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="options">How to launch the process and decide that it is ready.</param>
    public ManagedProcess(ManagedProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = new LogBuffer(options.RecentLogCapacity);
    }

    /// <summary>PID of the most recently started process (it changes on <see cref="RestartAsync"/>).</summary>
    public int ProcessId { get; private set; }

    /// <summary>Whether the current launch wrote a line matching
    /// <see cref="ManagedProcessOptions.IsAddressInUseLine"/>.</summary>
    public bool AddressInUse => _addressInUse;

    /// <summary>Whether <see cref="DisposeAsync"/> has begun.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The last output lines (stdout and stderr), oldest first.</summary>
    public IReadOnlyList<string> RecentLog => _log.Snapshot();

    /// <summary>
    /// Launches the process and waits until it is ready. If it exits, is not ready in time or
    /// <paramref name="ct"/> is cancelled, the process is killed first.
    /// </summary>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>A task that completes once the process is ready.</returns>
    public async Task StartAsync(CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, _options.Owner);
            await LaunchAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the process gracefully: SIGTERM, then SIGKILL after
    /// <see cref="ManagedProcessOptions.GracefulStopTimeout"/>.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task StopAsync() => UnderLockAsync(graceful: true);

    /// <summary>Kills the process at once with SIGKILL (a crash) and waits for it to exit.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task KillAsync() => UnderLockAsync(graceful: false);

    /// <summary>Stops a still-running process gracefully, then launches it again with the same settings and waits
    /// until it is ready.</summary>
    /// <param name="ct">Cancels the start; the new process is then killed.</param>
    /// <returns>A task that completes once the process is ready again.</returns>
    public async Task RestartAsync(CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, _options.Owner);
            await StopProcessAsync(graceful: true).ConfigureAwait(false);
            await LaunchAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the process gracefully and runs <see cref="ManagedProcessOptions.Disposed"/>, once.</summary>
    /// <returns>A task that completes once the process has exited and the clean-up has run.</returns>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopProcessAsync(graceful: true).ConfigureAwait(false);
            _options.Disposed?.Invoke();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Adds a line to <see cref="RecentLog"/> and passes it to <see cref="ManagedProcessOptions.Log"/>.</summary>
    /// <param name="line">The line, e.g. a note of the test harness.</param>
    public void Emit(string line)
    {
        _log.Add(line);
        WriteLog(_options.Log, line);
    }

    /// <summary>The recent output as text to append to an error message.</summary>
    /// <returns>A newline, a header and the lines; or a note that the process wrote nothing.</returns>
    public string FormatRecentLog()
    {
        var lines = _log.Snapshot();
        if (lines.Length == 0)
        {
            return $"\n({_options.DisplayName} wrote no output)";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\n--- last {lines.Length} lines of {_options.DisplayName} output ---");
        foreach (var line in lines)
        {
            text.Append('\n').Append(line);
        }

        return text.ToString();
    }

    /// <summary>Deletes a folder and its contents, retrying briefly while files are still being closed.</summary>
    /// <param name="path">The folder; nothing happens if it does not exist.</param>
    public static void DeleteDirectory(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A file was still being closed; try again.
            }
        }
    }

    /// <summary>Passes <paramref name="line"/> to <paramref name="log"/>, ignoring what it throws.</summary>
    internal static void WriteLog(Action<string>? log, string line)
    {
        if (log is null)
        {
            return;
        }

        try
        {
            log(line);
        }
#pragma warning disable CA1031 // A throwing callback (e.g. xunit's output helper after the test ended) must not crash the run.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task UnderLockAsync(bool graceful)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopProcessAsync(graceful).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        _addressInUse = false;
        var readiness = _options.CreateReadiness();
        var startInfo = _options.CreateStartInfo();
        // The output is always captured (recent log, readiness lines), so redirection is not the caller's concern.
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += OnOutput;
        process.ErrorDataReceived += OnOutput;
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw _options.StartFailed(e);
        }

        _process = process;
        ProcessId = process.Id;
        _killOnExit = ChildProcesses.KillOnExit(process, _options.CleanupOnExit);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var elapsed = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false); // drain the output
                    var exitCode = process.ExitCode;
                    var pid = ProcessId;
                    await StopProcessAsync(graceful: false).ConfigureAwait(false);
                    throw _options.ExitedDuringStart(pid, exitCode);
                }

                if (await readiness.IsReady(ct).ConfigureAwait(false))
                {
                    return;
                }

                if (elapsed.Elapsed >= _options.StartupTimeout)
                {
                    var pid = ProcessId;
                    await StopProcessAsync(graceful: false).ConfigureAwait(false);
                    throw readiness.NotReadyInTime(pid);
                }

                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await StopProcessAsync(graceful: false).ConfigureAwait(false);
            throw;
        }
    }

    private void OnOutput(object? sender, DataReceivedEventArgs e)
    {
        if (e.Data is not { } line)
        {
            return;
        }

        if (_options.IsAddressInUseLine?.Invoke(line) == true)
        {
            _addressInUse = true;
        }

        Emit(line);
    }

    private async Task StopProcessAsync(bool graceful)
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            await ChildProcesses.StopAsync(process, graceful ? _options.GracefulStopTimeout : TimeSpan.Zero)
                .ConfigureAwait(false);
        }
        finally
        {
            _killOnExit?.Dispose();
            _killOnExit = null;
            _process = null;
            process.Dispose();
        }
    }
}
