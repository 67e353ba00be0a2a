using System.Net.Http.Headers;
using System.Text;

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
public sealed partial class LambdaEmulator : IAsyncDisposable
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
}
