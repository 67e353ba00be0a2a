using Restate.Sdk.Driver;

namespace Restate.Sdk.Definitions;

/// <summary>One handler: its Restate name and kind, payload content types, options, and the delegate that runs it.</summary>
public sealed class HandlerDefinition
{
    // Read from the serdes when asked (discovery), so defining a service never exports a schema; the serdes keep them.
    private readonly Func<string?>? _inputJsonSchema;
    private readonly Func<string?>? _outputJsonSchema;

    internal HandlerDefinition(string service, string name, HandlerKind kind, string? inputContentType, string? outputContentType,
        Func<string?>? inputJsonSchema, Func<string?>? outputJsonSchema, HandlerOptions? options, Func<InvocationCore, Context> createContext,
        Func<Context, ReadOnlyMemory<byte>, Task<ReadOnlyMemory<byte>>> invoke)
    {
        ServiceName = service;
        Name = name;
        Kind = kind;
        InputContentType = inputContentType;
        OutputContentType = outputContentType;
        _inputJsonSchema = inputJsonSchema;
        _outputJsonSchema = outputJsonSchema;
        Options = options;
        CreateContext = createContext;
        Invoke = invoke;
        FullName = $"{service}/{name}";
    }

    /// <summary>The Restate service this handler belongs to.</summary>
    public string ServiceName { get; }

    /// <summary>The handler name, as in <c>/{service}/{handler}</c>.</summary>
    public string Name { get; }

    /// <summary>Exclusive, shared or workflow run.</summary>
    public HandlerKind Kind { get; }

    /// <summary>
    /// The request content type the handler accepts (<see cref="HandlerOptions.Accept"/>, else the input serde's), or
    /// null when the handler takes no input; the manifest's <c>input.contentType</c>.
    /// </summary>
    public string? InputContentType { get; }

    /// <summary>
    /// The response content type (<see cref="HandlerOptions.ContentType"/>, else the output serde's), or null when the
    /// handler returns nothing; the manifest's <c>output.contentType</c>.
    /// </summary>
    public string? OutputContentType { get; }

    /// <summary>The JSON Schema of the input (its serde's <see cref="Serde{T}.JsonSchema"/>), or null.</summary>
    public string? InputJsonSchema => _inputJsonSchema?.Invoke();

    /// <summary>The JSON Schema of the output (its serde's <see cref="Serde{T}.JsonSchema"/>), or null.</summary>
    public string? OutputJsonSchema => _outputJsonSchema?.Invoke();

    /// <summary>Handler-level runtime settings.</summary>
    public HandlerOptions? Options { get; }

    internal string FullName { get; }

    /// <summary>The handler takes an input (a request body), as opposed to none.</summary>
    internal bool TakesInput { get; init; }

    /// <summary>The handler has an output, as opposed to returning nothing.</summary>
    internal bool ReturnsOutput { get; init; }

    internal Func<InvocationCore, Context> CreateContext { get; }

    internal Func<Context, ReadOnlyMemory<byte>, Task<ReadOnlyMemory<byte>>> Invoke { get; }

    /// <summary>The same handler with other options; content types stay (callers keep Accept and ContentType unchanged).</summary>
    internal HandlerDefinition WithOptions(HandlerOptions? options) =>
        new(ServiceName, Name, Kind, InputContentType, OutputContentType, _inputJsonSchema, _outputJsonSchema, options, CreateContext, Invoke)
        {
            TakesInput = TakesInput,
            ReturnsOutput = ReturnsOutput,
        };
}
