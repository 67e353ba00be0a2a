using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Restate.Sdk.Definitions;
using Restate.Sdk.Driver;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Endpoint;

/// <summary>
/// The services a deployment exposes, and the transport-independent handling of Restate's requests: discovery,
/// request-identity checks, routing by the <c>/invoke/{service}/{handler}</c> path suffix, protocol negotiation and the
/// <c>/health</c> check. Hosts (ASP.NET Core, Lambda, or any other through <see cref="HandleAsync"/>) only move bytes.
/// </summary>
public sealed partial class RestateEndpoint
{
    /// <summary>The value of the <c>x-restate-server</c> header on every response.</summary>
    public const string ServerHeaderValue = "restate-sdk-dotnet/0.1.0";

    private readonly Dictionary<string, ServiceDefinition> _services;
    private readonly Dictionary<string, SerdeResolver> _serdes;
    private readonly IReadOnlyList<RestateInterceptor> _interceptors;
    private readonly IReadOnlyList<Func<Exception, TerminalException?>> _terminalMappings;
    private readonly SerdeResolver _endpointSerdes;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;

    internal RestateEndpoint(IReadOnlyList<ServiceDefinition> services, RequestIdentityVerifier identity, ILoggerFactory? loggerFactory,
        ProtocolMode protocolMode = ProtocolMode.BidiStream, SerdeResolver? serdes = null, IReadOnlyList<RestateInterceptor>? interceptors = null,
        IReadOnlyList<Func<Exception, TerminalException?>>? terminalMappings = null, OnJournalMismatch onJournalMismatch = OnJournalMismatch.Retry)
    {
        Services = services;
        _services = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _endpointSerdes = serdes ?? SerdeResolver.BuiltIns;
        _serdes = services.ToDictionary(s => s.Name, s => s.Serdes.Then(_endpointSerdes), StringComparer.Ordinal);
        _interceptors = interceptors ?? [];
        _terminalMappings = terminalMappings ?? [];
        Identity = identity;
        HasLoggerFactory = loggerFactory is not null;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Restate.Sdk.Invocation");
        ProtocolMode = protocolMode;
        OnJournalMismatch = onJournalMismatch;
    }

    /// <summary>
    /// What a journal mismatch asks of the runtime for handlers whose own options (or their service's) leave
    /// <see cref="HandlerOptions.OnJournalMismatch"/> unset (see <see cref="RestateEndpointBuilder.WithJournalMismatchBehavior"/>).
    /// </summary>
    public OnJournalMismatch OnJournalMismatch { get; }

    /// <summary>The bound services.</summary>
    public IReadOnlyList<ServiceDefinition> Services { get; }

    /// <summary>
    /// <see cref="Endpoint.ProtocolMode.BidiStream"/> (the default) streams in both directions wherever the transport can
    /// (HTTP/2); <see cref="Endpoint.ProtocolMode.RequestResponse"/> when the builder forced request/response with
    /// <see cref="RestateEndpointBuilder.WithProtocolMode"/>. HTTP/1.1 and Lambda are request/response either way.
    /// </summary>
    public ProtocolMode ProtocolMode { get; }

    internal RequestIdentityVerifier Identity { get; }

    /// <summary>Whether the builder was given a logger factory (<see cref="RestateEndpointBuilder.WithLoggerFactory"/>).</summary>
    internal bool HasLoggerFactory { get; }

    /// <summary>
    /// The host's logging default: this endpoint itself when it was built with
    /// <see cref="RestateEndpointBuilder.WithLoggerFactory"/> (the application's choice wins), otherwise a copy that logs
    /// (<see cref="Context.Logger"/>, the SDK's failure and retry messages) to <paramref name="loggerFactory"/>. A host
    /// calls this once, before serving: <c>MapRestate</c> passes the app's factory, the Lambda host a console one.
    /// </summary>
    /// <param name="loggerFactory">The host's logger factory.</param>
    /// <returns>An endpoint serving the same services with the same settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is null.</exception>
    public RestateEndpoint WithDefaultLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return HasLoggerFactory ? this : new RestateEndpoint(Services, Identity, loggerFactory, ProtocolMode, _endpointSerdes, _interceptors, _terminalMappings);
    }

    /// <summary>
    /// The protocol mode of a request that arrived over a transport able to offer <paramref name="transportMode"/>:
    /// request/response when either the transport or this endpoint's <see cref="ProtocolMode"/> says so.
    /// </summary>
    internal ProtocolMode ModeFor(ProtocolMode transportMode) =>
        ProtocolMode == ProtocolMode.RequestResponse ? ProtocolMode.RequestResponse : transportMode;

    /// <summary>Starts an endpoint definition.</summary>
    public static RestateEndpointBuilder CreateBuilder() => new();

    /// <summary>
    /// The serde that handler code of <paramref name="service"/> gets for <typeparamref name="T"/> when it passes none
    /// (built-ins, then the service's JSON contexts, then the endpoint's): what a state key without a serde is stored
    /// with, so tests and tools read state the way the handlers wrote it.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="service">A service bound to this endpoint.</param>
    /// <exception cref="ArgumentException">No service of that name is bound.</exception>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/> (the message names the type).</exception>
    public Serde<T> SerdeFor<T>(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return _serdes.TryGetValue(service, out var serdes)
            ? serdes.Get<T>($"a value of service '{service}'")
            : throw new ArgumentException($"Service '{service}' is not bound to this endpoint (bound: {string.Join(", ", _services.Keys)}).", nameof(service));
    }

    internal EndpointResult Handle(EndpointRequest request)
    {
        // Load balancers and orchestrators probe health without a Restate signature, so this comes before the identity check.
        if (IsHealthPath(request.Path))
        {
            return IsGetOrHead(request.Method)
                ? Text(200, "OK")
                : Text(405, "The health check is a GET request.");
        }
        var identity = Identity.Verify(request.Path, request.GetHeader, DateTimeOffset.UtcNow);
        if (!identity.IsValid)
        {
            return Text(401, identity.Error ?? "Request identity check failed.");
        }
        var normalized = RequestIdentityVerifier.NormalizePath(request.Path);
        if (normalized == "/discover")
        {
            return string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase)
                ? Discover(request)
                : Text(405, "Discovery is a GET request.");
        }
        if (!TryParseInvokePath(normalized, out var serviceName, out var handlerName))
        {
            return Text(404, $"No Restate route for '{request.Path}': expected .../discover or .../invoke/{{service}}/{{handler}}.");
        }
        if (!_services.TryGetValue(serviceName, out var service))
        {
            return Text(404, $"Service '{serviceName}' is not bound to this endpoint (bound: {string.Join(", ", _services.Keys)}).");
        }
        if (!service.HandlersByName.TryGetValue(handlerName, out var handler))
        {
            return Text(404, $"Service '{serviceName}' has no handler '{handlerName}'.");
        }
        var contentType = request.GetHeader("content-type");
        if (!ProtocolVersion.TryParse(contentType, out var version))
        {
            return Text(415,
                $"Unsupported service protocol content type '{contentType}': this SDK speaks {ProtocolVersion.ContentType(ProtocolVersion.Min)} to {ProtocolVersion.ContentType(ProtocolVersion.Max)}.");
        }
        var trace = new InvocationCore.AttemptTrace(request.GetHeader("traceparent"), request.GetHeader("tracestate"));
        var onMismatch = handler.Options?.OnJournalMismatch ?? service.Options?.OnJournalMismatch ?? OnJournalMismatch;
        var core = new InvocationCore(new InvocationStateMachine(version, onJournalMismatch: onMismatch), handler, _logger, _loggerFactory, trace, _interceptors, _serdes[serviceName], _terminalMappings,
            request.AllHeaders);
        return new EndpointResult.Invocation(core, ProtocolVersion.ContentType(version));
    }

    private EndpointResult.Reply Discover(EndpointRequest request)
    {
        var accept = request.GetHeader("accept");
        if (ManifestWriter.Negotiate(accept) is not { } version)
        {
            return Text(415,
                $"None of the manifest versions in Accept '{accept}' is supported: this SDK serves {ManifestWriter.ContentType(ManifestWriter.MinVersion)} to {ManifestWriter.ContentType(ManifestWriter.MaxVersion)}.");
        }
        var required = ManifestWriter.RequiredVersion(Services);
        if (required > version)
        {
            return Text(415,
                $"The services use manifest fields of version {required}, but the server accepts at most version {version}; upgrade restate-server or drop those options.");
        }
        // lambdaCompression is a v4 field: a server that only accepts older manifests gets none rather than a failure.
        var lambdaCompression = request.LambdaCompression && version >= ManifestWriter.LambdaCompressionVersion;
        return new EndpointResult.Reply(200, ManifestWriter.ContentType(version),
            ManifestWriter.Write(Services, ModeFor(request.Mode), lambdaCompression));
    }

    /// <summary>
    /// <c>/health</c>, alone or under a deployment prefix (<c>/restate/health</c>), but not a handler named <c>health</c>
    /// (<c>/invoke/{service}/health</c>).
    /// </summary>
    internal static bool IsHealthPath(string path) =>
        (path == "/health" || path.EndsWith("/health", StringComparison.Ordinal))
        && !TryParseInvokePath(RequestIdentityVerifier.NormalizePath(path), out _, out _);

    private static bool IsGetOrHead(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    private static bool TryParseInvokePath(string path, out string service, out string handler)
    {
        service = handler = string.Empty;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[^3] != "invoke")
        {
            return false;
        }
        service = Uri.UnescapeDataString(segments[^2]);
        handler = Uri.UnescapeDataString(segments[^1]);
        return true;
    }

    private static EndpointResult.Reply Text(int status, string message) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message));
}

/// <summary>Collects services and settings for a <see cref="RestateEndpoint"/>.</summary>
public sealed class RestateEndpointBuilder
{
    private readonly List<ServiceDefinition> _services = [];
    private readonly List<string> _identityKeys = [];
    private readonly List<Func<Type, System.Text.Json.Serialization.Metadata.JsonTypeInfo?>> _jsonSources = [];
    private readonly List<RestateInterceptor> _interceptors = [];
    private readonly List<Func<Exception, TerminalException?>> _terminalMappings = [];
    private ILoggerFactory? _loggerFactory;
    private ProtocolMode _protocolMode = ProtocolMode.BidiStream;
    private OnJournalMismatch _onJournalMismatch = OnJournalMismatch.Retry;

    internal RestateEndpointBuilder()
    {
    }

    /// <summary>Exposes a service, virtual object or workflow.</summary>
    /// <param name="service">The definition.</param>
    public RestateEndpointBuilder Bind(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (_services.Any(s => s.Name == service.Name))
        {
            throw new ArgumentException($"A service named '{service.Name}' is already bound.", nameof(service));
        }
        _services.Add(service);
        return this;
    }

    /// <summary>
    /// Accepts only requests signed by a Restate server holding the matching private key
    /// (<c>publickeyv1_…</c>, as printed by the server or Restate Cloud). Others get 401.
    /// </summary>
    /// <param name="publicKeys">One or more keys; any of them may verify a request.</param>
    public RestateEndpointBuilder WithIdentityKeys(params IEnumerable<string> publicKeys)
    {
        _identityKeys.AddRange(publicKeys);
        return this;
    }

    /// <summary>Where the SDK logs handler failures and retries, and where <see cref="Context.Logger"/> writes.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <remarks>
    /// Without this call the host decides: <c>MapRestate</c> (Restate.Sdk.AspNetCore) logs to the app's
    /// <see cref="ILoggerFactory"/>, <c>RestateLambda.RunAsync</c> to the console (which Lambda sends to CloudWatch), any
    /// other host where it passes to <see cref="RestateEndpoint.WithDefaultLoggerFactory"/>, and nowhere otherwise.
    /// Pass <c>NullLoggerFactory.Instance</c> to silence the SDK.
    /// </remarks>
    public RestateEndpointBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>
    /// Serializes through <paramref name="context"/> the values that handler code passes without a serde (state, runs,
    /// calls, sends, awakeables, signals, promises), in every bound service, after the built-in serdes and the
    /// service's own contexts. Native AOT safe.
    /// </summary>
    /// <param name="context">A source-generated <c>JsonSerializerContext</c>, e.g. <c>AppJson.Default</c>.</param>
    public RestateEndpointBuilder WithJsonContext(System.Text.Json.Serialization.JsonSerializerContext context)
    {
        _jsonSources.Add(SerdeResolver.From(context));
        return this;
    }

    /// <summary>Like <see cref="WithJsonContext"/>, for any <see cref="System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver"/> (with default options).</summary>
    /// <param name="resolver">The resolver, e.g. a combination of contexts.</param>
    public RestateEndpointBuilder WithJsonTypeInfoResolver(System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver resolver)
    {
        _jsonSources.Add(SerdeResolver.From(resolver));
        return this;
    }

    /// <summary>
    /// Treats exceptions of type <typeparamref name="TException"/> (and derived types) as terminal errors instead of
    /// retrying them: thrown from handler code, the invocation fails with the mapped <see cref="TerminalException"/>;
    /// thrown from a <c>RunAsync</c> closure, the run's failure is journaled at once (awaiting it throws the mapped
    /// exception). For failures retrying cannot fix, such as a DynamoDB <c>ConditionalCheckFailedException</c>. The
    /// first mapping that matches wins; a <see cref="TerminalException"/> needs none.
    /// </summary>
    /// <typeparam name="TException">The exception type.</typeparam>
    /// <param name="map">Builds the terminal error; null: its message, with code 500.</param>
    public RestateEndpointBuilder MapExceptionToTerminal<TException>(Func<TException, TerminalException>? map = null)
        where TException : Exception
    {
        _terminalMappings.Add(exception => exception is TException matched
            ? map is null ? new TerminalException(matched.Message) : map(matched)
            : null);
        return this;
    }

    /// <summary>Adds code around every handler attempt and run closure of the endpoint; the first added is the outermost.</summary>
    /// <param name="interceptor">The interceptor.</param>
    public RestateEndpointBuilder WithInterceptor(RestateInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(interceptor);
        _interceptors.Add(interceptor);
        return this;
    }

    /// <summary>
    /// Chooses how the deployment talks to restate-server. <see cref="ProtocolMode.BidiStream"/> (the default) streams in
    /// both directions wherever the transport can (HTTP/2) and falls back to request/response elsewhere (HTTP/1.1,
    /// Lambda). <see cref="ProtocolMode.RequestResponse"/> forces request/response even over HTTP/2, for deployments
    /// behind proxies or load balancers that cannot stream HTTP/2 both ways: discovery announces
    /// <c>REQUEST_RESPONSE</c>, and every await that cannot complete at once suspends the invocation.
    /// </summary>
    /// <param name="mode">The mode.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a <see cref="ProtocolMode"/> value.</exception>
    /// <remarks>A registered deployment keeps the mode it announced: register it again after changing this.</remarks>
    public RestateEndpointBuilder WithProtocolMode(ProtocolMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode,
                $"{(int)mode} is not a protocol mode: use ProtocolMode.BidiStream or ProtocolMode.RequestResponse.");
        }
        _protocolMode = mode;
        return this;
    }

    /// <summary>
    /// What restate-server does with an invocation whose handler no longer matches its journal (code changed in a
    /// non-deterministic way): retry it (the default), pause it, or fail it. A service's or handler's
    /// <see cref="HandlerOptions.OnJournalMismatch"/> overrides it. Pause and fail need service protocol V7; under V5 and
    /// V6 the mismatch is retried and the SDK logs a warning (see <see cref="Sdk.OnJournalMismatch"/>).
    /// </summary>
    /// <param name="behavior">The behaviour.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="behavior"/> is not an <see cref="Sdk.OnJournalMismatch"/> value.</exception>
    public RestateEndpointBuilder WithJournalMismatchBehavior(OnJournalMismatch behavior)
    {
        if (!Enum.IsDefined(behavior))
        {
            throw new ArgumentOutOfRangeException(nameof(behavior), behavior,
                $"{(int)behavior} is not a journal mismatch behaviour: use OnJournalMismatch.Retry, OnJournalMismatch.Pause or OnJournalMismatch.Fail.");
        }
        _onJournalMismatch = behavior;
        return this;
    }

    /// <summary>Creates the endpoint.</summary>
    /// <exception cref="InvalidOperationException">No services are bound.</exception>
    /// <exception cref="ArgumentException">An identity key is malformed (the message names it).</exception>
    public RestateEndpoint Build()
    {
        if (_services.Count == 0)
        {
            throw new InvalidOperationException("Bind at least one service before building the endpoint.");
        }
        return new RestateEndpoint([.. _services], RequestIdentityVerifier.Create(_identityKeys), _loggerFactory, _protocolMode,
            SerdeResolver.Create([.. _jsonSources]), [.. _interceptors], [.. _terminalMappings], _onJournalMismatch);
    }
}
