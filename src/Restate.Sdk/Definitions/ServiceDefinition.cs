using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Restate.Sdk.Driver;
using Restate.Sdk.Futures;

namespace Restate.Sdk.Definitions;

/// <summary>A Restate service, virtual object or workflow, ready to bind to an endpoint.</summary>
/// <remarks>
/// Build one with <see cref="ForService"/>, <see cref="ForVirtualObject"/> or <see cref="ForWorkflow"/>. Handlers are
/// plain delegates with explicit serdes, so registration needs no reflection and stays Native AOT safe.
/// </remarks>
public sealed partial class ServiceDefinition
{
    internal ServiceDefinition(string name, ServiceKind kind, IReadOnlyList<HandlerDefinition> handlers, HandlerOptions? options,
        SerdeResolver? serdes = null)
    {
        Name = name;
        Kind = kind;
        Handlers = handlers;
        Options = options;
        Serdes = serdes ?? SerdeResolver.BuiltIns;
        HandlersByName = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);
    }

    /// <summary>The Restate name (the first path segment at the ingress).</summary>
    public string Name { get; }

    /// <summary>Service, virtual object or workflow.</summary>
    public ServiceKind Kind { get; }

    /// <summary>The handlers, in registration order.</summary>
    public IReadOnlyList<HandlerDefinition> Handlers { get; }

    /// <summary>Service-level runtime settings.</summary>
    public HandlerOptions? Options { get; }

    internal IReadOnlyDictionary<string, HandlerDefinition> HandlersByName { get; }

    /// <summary>The serdes the service's own JSON contexts give (then the built-ins), for values passed without a serde.</summary>
    internal SerdeResolver Serdes { get; }

    /// <summary>Starts a stateless service.</summary>
    /// <param name="name">The Restate name.</param>
    /// <param name="options">Settings for all handlers.</param>
    public static ServiceBuilder ForService(string name, HandlerOptions? options = null) => new(name, options);

    /// <summary>Starts a virtual object (keyed, with state).</summary>
    /// <param name="name">The Restate name.</param>
    /// <param name="options">Settings for all handlers.</param>
    public static VirtualObjectBuilder ForVirtualObject(string name, HandlerOptions? options = null) => new(name, options);

    /// <summary>Starts a workflow.</summary>
    /// <param name="name">The Restate name.</param>
    /// <param name="options">Settings for all handlers.</param>
    public static WorkflowBuilder ForWorkflow(string name, HandlerOptions? options = null) => new(name, options);

    internal static void ValidateServiceName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!ServiceNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid Restate service name: use letters, digits, '.', '_' and '-', starting with a letter (or '_' and a letter/digit).",
                nameof(name));
        }
        if (name.StartsWith("restate", StringComparison.OrdinalIgnoreCase) || name == "openapi")
        {
            throw new ArgumentException($"'{name}' is reserved by Restate and cannot name a service.", nameof(name));
        }
    }

    internal static void ValidateHandlerName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!HandlerNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid Restate handler name: use letters, digits and '_', starting with a letter (or '_' and a letter/digit).",
                nameof(name));
        }
    }

    [GeneratedRegex("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$")]
    private static partial Regex ServiceNamePattern();

    [GeneratedRegex("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$")]
    private static partial Regex HandlerNamePattern();
}

/// <summary>Shared mechanics of the service builders: adapting typed delegates to byte-level handlers.</summary>
/// <typeparam name="TSelf">The concrete builder, returned for chaining.</typeparam>
public abstract class ServiceBuilderBase<TSelf>
    where TSelf : ServiceBuilderBase<TSelf>
{
    private readonly List<(string Name, HandlerKind Kind, Func<SerdeResolver, HandlerDefinition> Create)> _handlers = [];
    private readonly List<Func<Type, JsonTypeInfo?>> _jsonSources = [];
    private readonly ServiceKind _kind;
    private readonly HandlerOptions? _options;

    private protected ServiceBuilderBase(string name, ServiceKind kind, HandlerOptions? options)
    {
        ServiceDefinition.ValidateServiceName(name);
        Name = name;
        _kind = kind;
        _options = options;
    }

    /// <summary>The service name being built.</summary>
    public string Name { get; }

    /// <summary>
    /// Serializes through <paramref name="context"/> the values of this service that come without a serde: handler
    /// inputs and outputs, and state, runs, calls, awakeables, signals and promises in its handlers. Contexts registered
    /// first are asked first, after the built-in serdes (strings, numbers, booleans, bytes, <see cref="Guid"/>, times)
    /// and before those registered on the endpoint. Native AOT safe.
    /// </summary>
    /// <param name="context">A source-generated <c>JsonSerializerContext</c>, e.g. <c>AppJson.Default</c>.</param>
    public TSelf WithJsonContext(JsonSerializerContext context)
    {
        _jsonSources.Add(SerdeResolver.From(context));
        return (TSelf)this;
    }

    /// <summary>Like <see cref="WithJsonContext"/>, for any <see cref="IJsonTypeInfoResolver"/> (with default options).</summary>
    /// <param name="resolver">The resolver, e.g. a combination of contexts.</param>
    public TSelf WithJsonTypeInfoResolver(IJsonTypeInfoResolver resolver)
    {
        _jsonSources.Add(SerdeResolver.From(resolver));
        return (TSelf)this;
    }

    /// <summary>Finishes the definition, finding the serdes of handlers registered without them.</summary>
    /// <exception cref="InvalidOperationException">
    /// A workflow without exactly one run handler, a service without handlers, or a handler input or output type no
    /// registered JSON context knows (the message names the handler and the type), or an option restate-server would refuse
    /// at registration: the message names the option and where it belongs (see <see cref="HandlerOptions"/>).
    /// </exception>
    public ServiceDefinition Build()
    {
        var definition = BuildUnvalidated();
        OptionRules.Validate(Name, _kind, _options, definition.Handlers);
        return definition;
    }

    /// <summary>
    /// <see cref="Build"/> without the option checks: only for tests that show restate-server refusing what the checks
    /// catch.
    /// </summary>
    internal ServiceDefinition BuildUnvalidated()
    {
        if (_handlers.Count == 0)
        {
            throw new InvalidOperationException($"Service '{Name}' has no handlers.");
        }
        if (_kind == ServiceKind.Workflow && _handlers.Count(h => h.Kind == HandlerKind.Workflow) != 1)
        {
            throw new InvalidOperationException($"Workflow '{Name}' must have exactly one run handler (added with Run).");
        }
        var serdes = SerdeResolver.Create([.. _jsonSources]);
        return new ServiceDefinition(Name, _kind, [.. _handlers.Select(h => h.Create(serdes))], _options, serdes);
    }

    private protected TSelf Add<TCtx, TIn, TOut>(string name, HandlerKind kind, Func<InvocationCore, TCtx> createContext,
        Func<TCtx, TIn, Task<TOut>> handler, Serde<TIn>? input, Serde<TOut>? output, HandlerOptions? options)
        where TCtx : Context
    {
        ServiceDefinition.ValidateHandlerName(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (_handlers.Any(h => h.Name == name))
        {
            throw new ArgumentException($"Service '{Name}' already has a handler named '{name}'.", nameof(name));
        }
        var fullName = $"{Name}/{name}";
        // Unit marks "no input" / "no output"; any other type without a serde is found when the service is built.
        var hasInput = typeof(TIn) != typeof(Unit);
        var hasOutput = typeof(TOut) != typeof(Unit);
        _handlers.Add((name, kind, serdes =>
        {
            var inputSerde = hasInput ? input ?? serdes.Get<TIn>($"the input of {fullName}") : null;
            var outputSerde = hasOutput ? output ?? serdes.Get<TOut>($"the output of {fullName}") : null;
            // Accept and ContentType replace the serdes' content types; Build() checks them (OptionRules).
            return new HandlerDefinition(Name, name, kind, options?.Accept ?? inputSerde?.ContentType, options?.ContentType ?? outputSerde?.ContentType,
                inputSerde is null ? null : () => inputSerde.JsonSchema, outputSerde is null ? null : () => outputSerde.JsonSchema, options, createContext,
                async (context, body) =>
                {
                    var request = inputSerde is null ? default! : DecodeInput(fullName, inputSerde, body);
                    var response = await handler((TCtx)context, request);
                    return outputSerde is null ? ReadOnlyMemory<byte>.Empty : outputSerde.Serialize(response);
                })
            {
                TakesInput = hasInput,
                ReturnsOutput = hasOutput,
            };
        }
        ));
        return (TSelf)this;
    }

    private protected static Func<TCtx, Unit, Task<TOut>> NoInput<TCtx, TOut>(Func<TCtx, Task<TOut>> handler) =>
        (context, _) => handler(context);

    private protected static Func<TCtx, TIn, Task<Unit>> NoOutput<TCtx, TIn>(Func<TCtx, TIn, Task> handler) =>
        async (context, request) =>
        {
            await handler(context, request);
            return Unit.Value;
        };

    private protected static Func<TCtx, Unit, Task<Unit>> Neither<TCtx>(Func<TCtx, Task> handler) =>
        async (context, _) =>
        {
            await handler(context);
            return Unit.Value;
        };

    private static TIn DecodeInput<TIn>(string handler, Serde<TIn> serde, ReadOnlyMemory<byte> body)
    {
        try
        {
            return serde.Deserialize(body);
        }
        catch (Exception e) when (e is not TerminalException)
        {
            throw new TerminalException($"Invalid input for {handler}: cannot read it as {typeof(TIn).Name}: {e.Message}", 400);
        }
    }
}
