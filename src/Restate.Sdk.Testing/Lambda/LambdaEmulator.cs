using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Restate.Sdk.Testing.Lambda;

/// <summary>
/// A local stand-in for the AWS Lambda service, on 127.0.0.1: it serves the Invoke API
/// (<c>POST /2015-03-31/functions/{arn}/invocations</c>, what restate-server calls when <c>AWS_ENDPOINT_URL_LAMBDA</c>
/// points here) and runs each registered function as real processes that implement the Lambda Runtime API
/// (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>/2018-06-01/runtime/…</c>), with Lambda's instance model: an invocation goes to
/// an idle warm instance, else a new process is started (a cold start); an instance handles one invocation at a time.
/// Start one with <see cref="StartAsync(LambdaEmulatorOptions?, CancellationToken)"/>; dispose it to kill every
/// process it started.
/// </summary>
public sealed class LambdaEmulator : IAsyncDisposable
{
    private const string InvokePrefix = "/2015-03-31/functions/";
    private const string InvokeSuffix = "/invocations";
    private const string RuntimeNextPath = "/2018-06-01/runtime/invocation/next";
    private const string RuntimeInvocationPrefix = "/2018-06-01/runtime/invocation/";
    private const string RuntimeInitErrorPath = "/2018-06-01/runtime/init/error";
    private const string JsonContentType = "application/json";
    private const string FunctionErrorHeader = "X-Amz-Function-Error";
    private static readonly TimeSpan InitErrorExitGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(15);

    private readonly LambdaEmulatorOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LambdaFunction> _functionsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LambdaFunction> _functionsByArn = new(StringComparer.Ordinal);
    private readonly List<LambdaInvocation> _invocations = [];
    private readonly List<FunctionInstance> _instances = [];
    private readonly List<Task> _retirements = [];
    private readonly HttpClient _client = new() { Timeout = ClientTimeout };
    private LoopbackHttpServer? _server;
    private int _nextInstanceId;
    private bool _disposed;

    private LambdaEmulator(LambdaEmulatorOptions options)
    {
        _options = options;
    }

    /// <summary>The Invoke API base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>
    /// <see cref="Endpoint"/> without the trailing slash (<c>http://127.0.0.1:41234</c>), the value for
    /// <c>AWS_ENDPOINT_URL_LAMBDA</c>.
    /// </summary>
    public string EndpointUrl => Endpoint.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// Environment variables that point an AWS SDK client (restate-server) at this emulator:
    /// <c>AWS_ENDPOINT_URL_LAMBDA</c>, dummy <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_REGION</c>
    /// (<c>us-east-1</c>) and <c>AWS_EC2_METADATA_DISABLED</c>. Merge them into
    /// <see cref="RestateServerOptions.Environment"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_LAMBDA"] = EndpointUrl,
        ["AWS_ACCESS_KEY_ID"] = "lambda-emulator",
        ["AWS_SECRET_ACCESS_KEY"] = "lambda-emulator",
        ["AWS_REGION"] = LambdaArn.DefaultRegion,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Every completed invocation since start (or <see cref="ResetCounters"/>), in completion order.</summary>
    public IReadOnlyList<LambdaInvocation> Invocations
    {
        get
        {
            lock (_gate)
            {
                return [.. _invocations];
            }
        }
    }

    /// <summary>The registered functions.</summary>
    public IReadOnlyList<LambdaFunction> Functions
    {
        get
        {
            lock (_gate)
            {
                return [.. _functionsByName.Values];
            }
        }
    }

    /// <summary>Starts the Invoke API listener on 127.0.0.1.</summary>
    /// <param name="options">Settings; null means the defaults.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The running emulator, with no functions yet.</returns>
    /// <exception cref="IOException">The fixed <see cref="LambdaEmulatorOptions.Port"/> is in use.</exception>
    public static async Task<LambdaEmulator> StartAsync(LambdaEmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LambdaEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPayloadBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RecentLogCapacity);
        var emulator = new LambdaEmulator(options);
        try
        {
            emulator._server = await LoopbackHttpServer.StartAsync(options.Port, emulator.HandleInvokeApiAsync, ct)
                .ConfigureAwait(false);
        }
        catch
        {
            emulator._client.Dispose();
            throw;
        }

        emulator.Endpoint = new Uri($"http://127.0.0.1:{emulator._server.Port}/");
        return emulator;
    }

    /// <summary>
    /// Registers a function. No process starts until the first invocation (Lambda's on-demand model).
    /// </summary>
    /// <param name="definition">The function; exactly one of <see cref="LambdaFunctionDefinition.ExecutablePath"/>
    /// and <see cref="LambdaFunctionDefinition.StartInfoFactory"/> must be set.</param>
    /// <returns>The handle with the function's counters and log.</returns>
    /// <exception cref="ArgumentException">The definition is invalid, or its name or one of its ARNs is taken.
    /// </exception>
    /// <exception cref="FileNotFoundException"><see cref="LambdaFunctionDefinition.ExecutablePath"/> does not exist.
    /// </exception>
    public LambdaFunction AddFunction(LambdaFunctionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ObjectDisposedException.ThrowIf(_disposed, this);
        LambdaArn.ValidateName(definition.Name);
        if ((definition.ExecutablePath is null) == (definition.StartInfoFactory is null))
        {
            throw new ArgumentException(
                $"Function '{definition.Name}': set exactly one of ExecutablePath and StartInfoFactory.", nameof(definition));
        }

        if (definition.ExecutablePath is { } executable && !File.Exists(executable))
        {
            throw new FileNotFoundException($"Function '{definition.Name}': executable not found.", executable);
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(definition.Timeout, TimeSpan.Zero, nameof(definition));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(definition.InitTimeout, TimeSpan.Zero, nameof(definition));
        var arns = definition.Arns; // validates version, aliases, region and account
        if (arns.Distinct(StringComparer.Ordinal).Count() != arns.Count)
        {
            throw new ArgumentException($"Function '{definition.Name}': an alias repeats the version.", nameof(definition));
        }

        var function = new LambdaFunction(definition, arns, _gate, _options.RecentLogCapacity, _options.Log);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_functionsByName.ContainsKey(definition.Name))
            {
                throw new ArgumentException($"A function named '{definition.Name}' is already registered.", nameof(definition));
            }

            if (arns.FirstOrDefault(_functionsByArn.ContainsKey) is { } taken)
            {
                throw new ArgumentException($"The ARN '{taken}' is already registered.", nameof(definition));
            }

            _functionsByName.Add(definition.Name, function);
            foreach (var arn in arns)
            {
                _functionsByArn.Add(arn, function);
            }
        }

        return function;
    }

    /// <summary>The function registered under <paramref name="name"/>.</summary>
    /// <param name="name">The function name.</param>
    /// <returns>Its handle.</returns>
    /// <exception cref="KeyNotFoundException">No such function.</exception>
    public LambdaFunction GetFunction(string name)
    {
        lock (_gate)
        {
            return _functionsByName.TryGetValue(name, out var function)
                ? function
                : throw new KeyNotFoundException($"No function named '{name}' is registered.");
        }
    }

    /// <summary>The Invoke API address for a function name or ARN (URL-encoded as the AWS SDKs do).</summary>
    /// <param name="functionNameOrArn">A qualified ARN, or a function name (optionally <c>name:qualifier</c>).</param>
    /// <returns>The absolute URI to POST the event to.</returns>
    public Uri InvokeUri(string functionNameOrArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionNameOrArn);
        return new Uri(Endpoint, $"2015-03-31/functions/{Uri.EscapeDataString(functionNameOrArn)}/invocations");
    }

    /// <summary>
    /// Invokes a function synchronously through this emulator's own Invoke API (over HTTP, like any AWS client).
    /// </summary>
    /// <param name="functionNameOrArn">A qualified ARN, or a function name.</param>
    /// <param name="payload">The event JSON.</param>
    /// <param name="ct">Cancels the request (the invocation itself runs on).</param>
    /// <returns>The status, <c>X-Amz-Function-Error</c>, body and request id.</returns>
    public async Task<LambdaInvokeResult> InvokeAsync(string functionNameOrArn, string payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var content = new StringContent(payload, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonContentType);
        using var response = await _client.PostAsync(InvokeUri(functionNameOrArn), content, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return new LambdaInvokeResult(
            (int)response.StatusCode,
            response.Headers.TryGetValues(FunctionErrorHeader, out var error) ? error.FirstOrDefault() : null,
            body,
            response.Headers.TryGetValues("x-amzn-RequestId", out var id) ? id.FirstOrDefault() : null);
    }

    /// <summary>
    /// Discards every instance of a function (SIGKILL), so that its next invocation is a cold start. Invocations still
    /// running fail with <see cref="LambdaInvocationStatus.Aborted"/>.
    /// </summary>
    /// <param name="name">The function name.</param>
    /// <returns>A task that completes once the processes have exited.</returns>
    public async Task StopInstancesAsync(string name)
    {
        var function = GetFunction(name);
        List<FunctionInstance> instances;
        lock (_gate)
        {
            instances = [.. function.Instances];
            foreach (var instance in instances)
            {
                AbortLocked(instance, "the instance was stopped by the test");
            }
        }

        await Task.WhenAll(instances.Select(instance => Retire(instance, TimeSpan.Zero))).ConfigureAwait(false);
    }

    /// <summary>Zeroes every function's counters and clears <see cref="Invocations"/>.</summary>
    public void ResetCounters()
    {
        lock (_gate)
        {
            _invocations.Clear();
            foreach (var function in _functionsByName.Values)
            {
                function.ResetCounters();
            }
        }
    }

    /// <summary>
    /// Fails pending invocations, kills every function process this emulator started (by PID) and stops the
    /// listeners.
    /// </summary>
    /// <returns>A task that completes once the processes have exited.</returns>
    public async ValueTask DisposeAsync()
    {
        List<FunctionInstance> instances;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            instances = [.. _instances];
            foreach (var instance in instances)
            {
                AbortLocked(instance, "the Lambda emulator was disposed");
            }
        }

        foreach (var instance in instances)
        {
            _ = Retire(instance, TimeSpan.Zero);
        }

        Task[] retirements;
        lock (_gate)
        {
            retirements = [.. _retirements];
        }

        try
        {
            await Task.WhenAll(retirements).ConfigureAwait(false);
        }
        finally
        {
            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
            }

            _client.Dispose();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Invoke API

    private async Task HandleInvokeApiAsync(HttpContext context)
    {
        var request = context.Request;
        // Kestrel has already decoded %3A in the path. Tolerate an endpoint URL with a trailing slash ("//2015-…").
        var path = "/" + (request.Path.Value ?? "").TrimStart('/');
        if (!HttpMethods.IsPost(request.Method)
            || !path.StartsWith(InvokePrefix, StringComparison.Ordinal)
            || !path.EndsWith(InvokeSuffix, StringComparison.Ordinal)
            || path.Length <= InvokePrefix.Length + InvokeSuffix.Length)
        {
            await WriteApiErrorAsync(context, StatusCodes.Status404NotFound, "UnknownOperationException",
                $"The Lambda emulator implements only POST {InvokePrefix}{{FunctionName}}{InvokeSuffix}, not {request.Method} {path}.")
                .ConfigureAwait(false);
            return;
        }

        var functionName = path[InvokePrefix.Length..^InvokeSuffix.Length];
        var qualifier = request.Query["Qualifier"].FirstOrDefault();
        var (function, arn) = Resolve(functionName, qualifier);
        if (function is null)
        {
            Emit($"[lambda] POST {path} -> 404 ResourceNotFoundException");
            await WriteApiErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFoundException",
                $"Function not found: {arn}").ConfigureAwait(false);
            return;
        }

        var invocationType = request.Headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (invocationType == "DryRun")
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (invocationType != "RequestResponse")
        {
            await WriteApiErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValueException",
                $"The Lambda emulator supports only the RequestResponse and DryRun invocation types, not '{invocationType}'.")
                .ConfigureAwait(false);
            return;
        }

        var (payload, tooLarge) = await ReadBodyAsync(request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        if (tooLarge)
        {
            await WriteApiErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestTooLargeException",
                $"Request must be smaller than {_options.MaxPayloadBytes} bytes for the InvokeFunction operation")
                .ConfigureAwait(false);
            return;
        }

        var (invocation, outcome) = await InvokeCoreAsync(function, arn, payload).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.Headers["x-amzn-RequestId"] = invocation.RequestId;
        response.Headers["X-Amz-Executed-Version"] = function.Definition.Version;
        if (outcome.Status != LambdaInvocationStatus.Succeeded)
        {
            response.Headers[FunctionErrorHeader] = "Unhandled";
        }

        response.ContentLength = outcome.Body.Length;
        Emit(string.Create(CultureInfo.InvariantCulture,
            $"[lambda] POST {InvokePrefix}{arn}{InvokeSuffix} -> 200 {outcome.Status} ({(invocation.ColdStart ? "cold" : "warm")}, " +
            $"instance #{invocation.Instance?.Id}, {invocation.Elapsed.Elapsed.TotalMilliseconds:F1} ms)"));
        await response.Body.WriteAsync(outcome.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private (LambdaFunction? Function, string Arn) Resolve(string functionName, string? qualifier)
    {
        lock (_gate)
        {
            if (functionName.StartsWith("arn:", StringComparison.Ordinal))
            {
                var parts = functionName.Split(':');
                var arn = parts.Length == 7 && qualifier is null && _functionsByName.TryGetValue(parts[6], out var byName)
                    ? $"{functionName}:{byName.Definition.Version}" // unqualified ARN: the registered version
                    : parts.Length == 7 && qualifier is not null ? $"{functionName}:{qualifier}" : functionName;
                return (_functionsByArn.GetValueOrDefault(arn), arn);
            }

            // A plain name, "name:qualifier", or name plus ?Qualifier=.
            var separator = functionName.IndexOf(':', StringComparison.Ordinal);
            var name = separator < 0 ? functionName : functionName[..separator];
            qualifier = separator < 0 ? qualifier : functionName[(separator + 1)..];
            if (_functionsByName.TryGetValue(name, out var function))
            {
                var qualified = $"arn:aws:lambda:{function.Definition.Region}:{function.Definition.AccountId}:function:{name}:" +
                    (qualifier ?? function.Definition.Version);
                return (function.Arns.Contains(qualified) ? function : null, qualified);
            }

            return (null,
                $"arn:aws:lambda:{LambdaArn.DefaultRegion}:{LambdaArn.DefaultAccountId}:function:{functionName}");
        }
    }

    private async Task<(PendingInvocation Invocation, InvocationOutcome Outcome)> InvokeCoreAsync(LambdaFunction function, string arn, byte[] payload)
    {
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), function, arn, payload);
        FunctionInstance? coldInstance = null;
        lock (_gate)
        {
            if (_disposed)
            {
                CompleteLocked(invocation, LambdaInvocationStatus.Aborted,
                    ErrorJson("Runtime.Aborted", "The Lambda emulator was disposed."));
                return (invocation, invocation.Outcome.Task.Result);
            }

            var idle = function.Instances.Where(i => !i.Dead && i.Current is null).MinBy(i => i.Id);
            if (idle is not null)
            {
                AssignLocked(idle, invocation);
            }
            else
            {
                coldInstance = new FunctionInstance(++_nextInstanceId, function);
                function.Instances.Add(coldInstance);
                _instances.Add(coldInstance);
                invocation.ColdStart = true;
                AssignLocked(coldInstance, invocation);
            }

            function.CountInvocation(invocation.ColdStart);
        }

        if (coldInstance is not null)
        {
            await LaunchAsync(coldInstance).ConfigureAwait(false);
        }

        var outcome = await invocation.Outcome.Task.ConfigureAwait(false);
        if (invocation.Instance is { } instance && invocation.Delivered)
        {
            function.WriteLog(instance.Id, $"END RequestId: {invocation.RequestId}");
            var duration = invocation.Running?.Elapsed ?? TimeSpan.Zero;
            var init = invocation.ColdStart && instance.InitDuration is { } initDuration
                ? string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {initDuration.TotalMilliseconds:F2} ms")
                : "";
            function.WriteLog(instance.Id, string.Create(CultureInfo.InvariantCulture,
                $"REPORT RequestId: {invocation.RequestId}\tDuration: {duration.TotalMilliseconds:F2} ms\t" +
                $"Billed Duration: {Math.Ceiling(duration.TotalMilliseconds):F0} ms\t" +
                $"Memory Size: {function.Definition.MemorySizeMb} MB{init}\tStatus: {outcome.Status}"));
        }

        return (invocation, outcome);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Instances

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

    // ---------------------------------------------------------------------------------------------------------------
    // Runtime API (one listener per instance)

    private async Task HandleRuntimeApiAsync(FunctionInstance instance, HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        if (path == RuntimeNextPath && HttpMethods.IsGet(method))
        {
            await NextAsync(instance, context).ConfigureAwait(false);
        }
        else if (path == RuntimeInitErrorPath && HttpMethods.IsPost(method))
        {
            await InitErrorAsync(instance, context).ConfigureAwait(false);
        }
        else if (path.StartsWith(RuntimeInvocationPrefix, StringComparison.Ordinal) && HttpMethods.IsPost(method)
            && path[RuntimeInvocationPrefix.Length..].Split('/') is [{ Length: > 0 } requestId, "response" or "error"])
        {
            await ResultAsync(instance, context, requestId, path.EndsWith("/error", StringComparison.Ordinal))
                .ConfigureAwait(false);
        }
        else
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status404NotFound, "NotFound",
                $"The Lambda emulator does not implement {method} {path}.").ConfigureAwait(false);
        }
    }

    private async Task NextAsync(FunctionInstance instance, HttpContext context)
    {
        PendingInvocation? ready = null;
        TaskCompletionSource<PendingInvocation?>? parked = null;
        PendingInvocation? abandoned = null;
        lock (_gate)
        {
            if (!instance.Dead)
            {
                if (!instance.Initialized)
                {
                    instance.Initialized = true;
                    instance.InitDuration = instance.Age.Elapsed;
                    instance.InitTimer?.Dispose();
                    instance.InitTimer = null;
                }

                if (instance.Current is { Delivered: true } unanswered)
                {
                    abandoned = unanswered;
                    CompleteLocked(unanswered, LambdaInvocationStatus.RuntimeExited, ErrorJson("Runtime.NoResponse",
                        $"RequestId: {unanswered.RequestId} Error: the runtime asked for the next event without " +
                        "posting a response or an error"));
                }

                if (instance.Current is { } assigned)
                {
                    DeliverLocked(instance, assigned);
                    ready = assigned;
                }
                else
                {
                    instance.ParkedNext?.TrySetResult(null); // a second concurrent /next: the first one gives up
                    parked = new TaskCompletionSource<PendingInvocation?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    instance.ParkedNext = parked;
                }
            }
        }

        if (abandoned is not null)
        {
            instance.Function.WriteLog(instance.Id,
                $"[lambda] RequestId: {abandoned.RequestId} failed: /next without a response");
        }

        if (parked is not null)
        {
            using (context.RequestAborted.UnsafeRegister(_ => parked.TrySetResult(null), null))
            {
                ready = await parked.Task.ConfigureAwait(false);
            }

            if (ready is null)
            {
                lock (_gate)
                {
                    if (instance.ParkedNext == parked)
                    {
                        instance.ParkedNext = null;
                    }
                }
            }
        }

        if (ready is null)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteRuntimeErrorAsync(context, StatusCodes.Status500InternalServerError, "Sandbox.Stopping",
                    "This instance is being discarded; exit.").ConfigureAwait(false);
            }

            return;
        }

        instance.Function.WriteLog(instance.Id,
            $"START RequestId: {ready.RequestId} Version: {instance.Function.Definition.Version}");
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = ready.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = ready.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = ready.Arn;
        response.Headers["Lambda-Runtime-Trace-Id"] = ready.TraceId;
        response.ContentLength = ready.Payload.Length;
        await response.Body.WriteAsync(ready.Payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ResultAsync(FunctionInstance instance, HttpContext context, string requestId, bool isError)
    {
        var (body, tooLarge) = await ReadBodyAsync(context.Request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        PendingInvocation? invocation;
        lock (_gate)
        {
            invocation = instance.Current is { Delivered: true } current && current.RequestId == requestId ? current : null;
            if (invocation is not null)
            {
                if (tooLarge)
                {
                    CompleteLocked(invocation, LambdaInvocationStatus.ResponseTooLarge, ErrorJson(
                        "Function.ResponseSizeTooLarge",
                        $"Response payload size exceeded maximum allowed payload size ({_options.MaxPayloadBytes} bytes)."));
                }
                else if (isError)
                {
                    var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                    CompleteLocked(invocation, LambdaInvocationStatus.FunctionError,
                        NormalizeError(body, errorType ?? "Runtime.Unknown"));
                }
                else
                {
                    CompleteLocked(invocation, LambdaInvocationStatus.Succeeded, body);
                }
            }
        }

        if (invocation is null)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID",
                $"Invalid request ID: {requestId} is not the invocation this instance is running").ConfigureAwait(false);
        }
        else if (tooLarge)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge",
                $"Exceeded maximum allowed payload size ({_options.MaxPayloadBytes} bytes).").ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, StatusCodes.Status202Accepted, """{"status":"OK"}"""u8.ToArray())
                .ConfigureAwait(false);
        }
    }

    private async Task InitErrorAsync(FunctionInstance instance, HttpContext context)
    {
        var (body, _) = await ReadBodyAsync(context.Request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        bool accepted;
        lock (_gate)
        {
            accepted = !instance.Initialized;
            if (accepted)
            {
                instance.Dead = true;
                if (instance.Current is { } current)
                {
                    var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                    CompleteLocked(current, LambdaInvocationStatus.InitError,
                        NormalizeError(body, errorType ?? "Runtime.InitError"));
                }
            }
        }

        if (!accepted)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidStateTransition",
                "State transition from Ready to InitError failed: the runtime has already asked for an event.")
                .ConfigureAwait(false);
            return;
        }

        instance.Function.WriteLog(instance.Id, $"[lambda] init error: {Encoding.UTF8.GetString(body)}");
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, """{"status":"OK"}"""u8.ToArray())
            .ConfigureAwait(false);
        _ = Retire(instance, InitErrorExitGrace);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private void Emit(string line) => ManagedProcess.WriteLog(_options.Log, line);

    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var stream = request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            int read;
            try
            {
                read = await stream.ReadAsync(memory, ct).ConfigureAwait(false);
            }
            catch (IOException)
            {
                break; // the caller went away; whatever arrived is all there is
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return ([], true);
            }
        }

        return (buffer.WrittenSpan.ToArray(), false);
    }

    /// <summary>The error JSON as the runtime posted it if it is a JSON object; otherwise a Lambda-style one.</summary>
    private static byte[] NormalizeError(byte[] body, string errorType)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }

        return ErrorJson(errorType, Encoding.UTF8.GetString(body));
    }

    private static byte[] ErrorJson(string errorType, string errorMessage) =>
        Json(writer =>
        {
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
        });

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An AWS API error: <c>x-amzn-ErrorType</c> plus <c>{"Type":"User","message":…}</c>.</summary>
    private static Task WriteApiErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        return WriteJsonAsync(context, status, Json(writer =>
        {
            writer.WriteString("Type", "User");
            writer.WriteString("message", message);
        }));
    }

    private static Task WriteRuntimeErrorAsync(HttpContext context, int status, string errorType, string message) =>
        WriteJsonAsync(context, status, ErrorJson(errorType, message));

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An X-Ray trace header: <c>Root=1-&lt;epoch hex&gt;-&lt;96 random bits&gt;;Parent=…;Sampled=0</c>.</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture,
            $"Root=1-{epoch:x8}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))};" +
            $"Parent={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))};Sampled=0");
    }
}
