using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Restate.Sdk.Testing.Lambda;

// The instance pool: starting, assigning, timing out and retiring function processes.
public sealed partial class LambdaEmulator
{
    private async Task LaunchAsync(FunctionInstance instance)
    {
        var function = instance.Function;
        try
        {
            LoopbackHttpServer runtime;
            try
            {
                runtime = await LoopbackHttpServer
                    .StartAsync(0, context => HandleRuntimeApiAsync(instance, context), CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (IOException e)
            {
                FailLaunch(instance, $"The Runtime API listener could not start: {e.Message}");
                return;
            }

            lock (_gate)
            {
                instance.Runtime = runtime;
                if (instance.Dead)
                {
                    return; // disposed or stopped meanwhile; retiring stops the listener
                }
            }

            var process = new Process { StartInfo = CreateStartInfo(function, instance, runtime.Port), EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => OnOutput(instance, e.Data);
            process.ErrorDataReceived += (_, e) => OnOutput(instance, e.Data);
            process.Exited += (_, _) => OnExited(instance, process);
            try
            {
                if (!process.Start())
                {
                    throw new InvalidOperationException("Process.Start returned false.");
                }
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or FileNotFoundException)
            {
                process.Dispose();
                FailLaunch(instance, $"Could not start '{process.StartInfo.FileName}': {e.Message}");
                return;
            }

            var killOnExit = ChildProcesses.KillOnExit(process);
            lock (_gate)
            {
                instance.Process = process;
                instance.ProcessId = process.Id;
                instance.KillOnExit = killOnExit;
                var initTimer = new CancellationTokenSource();
                initTimer.Token.UnsafeRegister(_ => OnInitTimeout(instance), null);
                instance.InitTimer = initTimer;
                initTimer.CancelAfter(function.Definition.InitTimeout);
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Emit($"[lambda] {function.Name}: started instance #{instance.Id} (pid {process.Id}), " +
                $"AWS_LAMBDA_RUNTIME_API=127.0.0.1:{runtime.Port}");
        }
        finally
        {
            instance.Launched.TrySetResult();
        }
    }

    private void FailLaunch(FunctionInstance instance, string message)
    {
        lock (_gate)
        {
            instance.Dead = true;
            if (instance.Current is { } current)
            {
                CompleteLocked(current, LambdaInvocationStatus.InitError,
                    ErrorJson("Runtime.InvalidEntrypoint", $"RequestId: {current.RequestId} Error: {message}"));
            }
        }

        instance.Function.WriteLog(instance.Id, $"[lambda] {message}");
        instance.Launched.TrySetResult();
        _ = Retire(instance, TimeSpan.Zero);
    }

    private static ProcessStartInfo CreateStartInfo(LambdaFunction function, FunctionInstance instance, int runtimePort)
    {
        var definition = function.Definition;
        var startInfo = definition.StartInfoFactory?.Invoke()
            ?? new ProcessStartInfo(Path.GetFullPath(definition.ExecutablePath!));
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var taskRoot = definition.TaskRoot
            ?? (startInfo.WorkingDirectory is { Length: > 0 } workingDirectory ? workingDirectory : null)
            ?? (definition.ExecutablePath is { } executable ? Path.GetDirectoryName(Path.GetFullPath(executable)) : null)
            ?? AppContext.BaseDirectory;
        if (string.IsNullOrEmpty(startInfo.WorkingDirectory))
        {
            startInfo.WorkingDirectory = taskRoot;
        }

        // The test process's own AWS settings (profile, endpoints, credentials) must not leak into the function.
        var inherited = Environment.GetEnvironmentVariables();
        foreach (var key in startInfo.Environment.Keys.Where(key => IsAwsVariable(key) && inherited.Contains(key)).ToList())
        {
            if (Equals(inherited[key], startInfo.Environment[key]))
            {
                startInfo.Environment.Remove(key);
            }
        }

        var environment = startInfo.Environment;
        // Defaults like Lambda's; the function configuration may override them.
        environment["AWS_ACCESS_KEY_ID"] = "lambda-emulator";
        environment["AWS_SECRET_ACCESS_KEY"] = "lambda-emulator";
        environment["AWS_SESSION_TOKEN"] = "lambda-emulator";
        environment["AWS_DEFAULT_REGION"] = definition.Region;
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{definition.Name}";
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy/MM/dd}/[{definition.Version}]{instance.Id:x32}");
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        environment["TZ"] = ":UTC";
        foreach (var (key, value) in definition.Environment)
        {
            environment[key] = value;
        }

        // Reserved: always from the definition.
        environment["AWS_LAMBDA_FUNCTION_NAME"] = definition.Name;
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = definition.Version;
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = definition.MemorySizeMb.ToString(CultureInfo.InvariantCulture);
        environment["AWS_REGION"] = definition.Region;
        environment["_HANDLER"] = definition.Handler;
        environment["LAMBDA_TASK_ROOT"] = taskRoot;
        environment["AWS_LAMBDA_RUNTIME_API"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{runtimePort}");
        return startInfo;

        static bool IsAwsVariable(string key) =>
            key.StartsWith("AWS_", StringComparison.Ordinal) || key is "_HANDLER" or "LAMBDA_TASK_ROOT" or "_X_AMZN_TRACE_ID";
    }

    private static void OnOutput(FunctionInstance instance, string? line)
    {
        if (line is not null)
        {
            instance.Function.WriteLog(instance.Id, line);
        }
    }

    private void OnExited(FunctionInstance instance, Process process)
    {
        int exitCode;
        try
        {
            exitCode = process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return; // disposed already: retired by us
        }

        var reason = exitCode > 128 ? $"signal: {exitCode - 128}" : $"exit status {exitCode}";
        bool failed;
        lock (_gate)
        {
            instance.Dead = true;
            failed = instance.Current is not null;
            if (instance.Current is { } current)
            {
                CompleteLocked(current, LambdaInvocationStatus.RuntimeExited, ErrorJson("Runtime.ExitError",
                    $"RequestId: {current.RequestId} Error: Runtime exited with error: {reason}"));
            }
        }

        instance.Function.WriteLog(instance.Id,
            $"[lambda] process {instance.ProcessId} exited ({reason}){(failed ? ", failing its pending invocation" : "")}");
        _ = Retire(instance, TimeSpan.Zero);
    }

    private void OnInitTimeout(FunctionInstance instance)
    {
        lock (_gate)
        {
            if (instance.Initialized || instance.Dead)
            {
                return;
            }

            instance.Dead = true;
            if (instance.Current is { } current)
            {
                CompleteLocked(current, LambdaInvocationStatus.TimedOut, ErrorJson("Sandbox.Timedout",
                    string.Create(CultureInfo.InvariantCulture,
                        $"RequestId: {current.RequestId} Error: Init phase timed out after " +
                        $"{instance.Function.Definition.InitTimeout.TotalSeconds:F2} seconds (no GET /runtime/invocation/next)")));
            }
        }

        instance.Function.WriteLog(instance.Id, "[lambda] init timed out; killing the instance");
        _ = Retire(instance, TimeSpan.Zero);
    }

    private void OnInvocationTimeout(FunctionInstance instance, PendingInvocation invocation)
    {
        lock (_gate)
        {
            if (instance.Current != invocation)
            {
                return;
            }

            instance.Dead = true;
            CompleteLocked(invocation, LambdaInvocationStatus.TimedOut, ErrorJson("Sandbox.Timedout",
                string.Create(CultureInfo.InvariantCulture,
                    $"RequestId: {invocation.RequestId} Error: Task timed out after " +
                    $"{instance.Function.Definition.Timeout.TotalSeconds:F2} seconds")));
        }

        instance.Function.WriteLog(instance.Id,
            $"[lambda] RequestId: {invocation.RequestId} timed out; killing the instance");
        _ = Retire(instance, TimeSpan.Zero);
    }

    /// <summary>Stops the instance's process (after <paramref name="exitGrace"/> to exit on its own) and listener.
    /// Idempotent.</summary>
    private Task Retire(FunctionInstance instance, TimeSpan exitGrace)
    {
        lock (_gate)
        {
            if (instance.Retirement is null)
            {
                instance.Dead = true;
                instance.Retirement = Task.Run(() => RetireCoreAsync(instance, exitGrace));
                _retirements.Add(instance.Retirement);
            }

            return instance.Retirement;
        }
    }

    private async Task RetireCoreAsync(FunctionInstance instance, TimeSpan exitGrace)
    {
        await instance.Launched.Task.ConfigureAwait(false);
        lock (_gate)
        {
            instance.Function.Instances.Remove(instance);
            _instances.Remove(instance);
            instance.ParkedNext?.TrySetResult(null);
            instance.ParkedNext = null;
            instance.InitTimer?.Dispose();
            instance.InitTimer = null;
        }

        try
        {
            if (instance.Process is { } process)
            {
                try
                {
                    if (exitGrace > TimeSpan.Zero)
                    {
                        using var grace = new CancellationTokenSource(exitGrace);
                        try
                        {
                            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            // Did not exit by itself: killed below.
                        }
                    }

                    await ChildProcesses.StopAsync(process, TimeSpan.Zero).ConfigureAwait(false);
                }
                finally
                {
                    instance.KillOnExit?.Dispose();
                    process.Dispose();
                }
            }
        }
        finally
        {
            if (instance.Runtime is { } runtime)
            {
                await runtime.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // State transitions (under _gate)

    private void AssignLocked(FunctionInstance instance, PendingInvocation invocation)
    {
        instance.Current = invocation;
        invocation.Instance = instance;
        if (instance.ParkedNext is { } parked)
        {
            instance.ParkedNext = null;
            DeliverLocked(instance, invocation);
            parked.TrySetResult(invocation);
        }
    }

    private void DeliverLocked(FunctionInstance instance, PendingInvocation invocation)
    {
        var timeout = instance.Function.Definition.Timeout;
        invocation.Delivered = true;
        invocation.Running = Stopwatch.StartNew();
        invocation.DeadlineMs = DateTimeOffset.UtcNow.Add(timeout).ToUnixTimeMilliseconds();
        invocation.TraceId = NewTraceId();
        var timer = new CancellationTokenSource();
        timer.Token.UnsafeRegister(_ => OnInvocationTimeout(instance, invocation), null);
        invocation.Timer = timer;
        timer.CancelAfter(timeout);
    }

    /// <summary>Sets the outcome once, frees the instance and logs the invocation.</summary>
    private void CompleteLocked(PendingInvocation invocation, LambdaInvocationStatus status, byte[] body)
    {
        if (invocation.Outcome.Task.IsCompleted)
        {
            return;
        }

        if (invocation.Instance is { } instance && instance.Current == invocation)
        {
            instance.Current = null;
        }

        invocation.Timer?.Dispose();
        _invocations.Add(new LambdaInvocation(
            invocation.Function.Name,
            invocation.Arn,
            invocation.RequestId,
            status,
            invocation.Elapsed.Elapsed,
            invocation.ColdStart,
            invocation.Instance?.Id ?? 0,
            invocation.Instance?.ProcessId ?? 0,
            invocation.StartedAt));
        invocation.Outcome.TrySetResult(new InvocationOutcome(status, body));
    }

    private void AbortLocked(FunctionInstance instance, string reason)
    {
        instance.Dead = true;
        if (instance.Current is { } current)
        {
            CompleteLocked(current, LambdaInvocationStatus.Aborted,
                ErrorJson("Runtime.Aborted", $"RequestId: {current.RequestId} Error: {reason}"));
        }
    }
}
