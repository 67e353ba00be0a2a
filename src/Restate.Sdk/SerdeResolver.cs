using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Restate.Sdk;

/// <summary>
/// Finds the serde of a type when none is passed: the built-in ones (strings, numbers, booleans, bytes, times), then the
/// JSON contexts registered on the service (<c>WithJsonContext</c> on its builder; generated services register the
/// assembly's <c>[RestateSerializer]</c> context), then those registered on the endpoint. Each type is resolved once.
/// Native AOT safe: source-generated contexts answer <c>GetTypeInfo(Type)</c> without reflection.
/// </summary>
internal sealed class SerdeResolver
{
    private readonly IReadOnlyList<Func<Type, JsonTypeInfo?>> _sources;
    private readonly SerdeResolver? _fallback;
    private readonly ConcurrentDictionary<Type, object?> _cache = new();

    private SerdeResolver(IReadOnlyList<Func<Type, JsonTypeInfo?>> sources, SerdeResolver? fallback)
    {
        _sources = sources;
        _fallback = fallback;
    }

    /// <summary>Built-in serdes only.</summary>
    public static SerdeResolver BuiltIns { get; } = new([], null);

    /// <summary>A resolver over <paramref name="sources"/> (asked in order), falling back to <paramref name="fallback"/>.</summary>
    public static SerdeResolver Create(IReadOnlyList<Func<Type, JsonTypeInfo?>> sources, SerdeResolver? fallback = null) =>
        sources.Count == 0 && fallback is null ? BuiltIns : new SerdeResolver(sources, fallback);

    /// <summary>The source of a source-generated context: its own options (naming policy, converters) apply.</summary>
    public static Func<Type, JsonTypeInfo?> From(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetTypeInfo;
    }

    /// <summary>The source of any resolver, with default options.</summary>
    public static Func<Type, JsonTypeInfo?> From(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        if (resolver is JsonSerializerContext context)
        {
            return From(context);
        }
        var options = new JsonSerializerOptions { TypeInfoResolver = resolver };
        options.MakeReadOnly();
        return type => resolver.GetTypeInfo(type, options);
    }

    /// <summary>This resolver, then <paramref name="fallback"/>.</summary>
    public SerdeResolver Then(SerdeResolver fallback) =>
        fallback == BuiltIns ? this : this == BuiltIns ? fallback : new SerdeResolver(_sources, _fallback is null ? fallback : _fallback.Then(fallback));

    /// <summary>The serde of <typeparamref name="T"/>, or null when nothing here knows the type.</summary>
    public Serde<T>? Find<T>() => (Serde<T>?)_cache.GetOrAdd(typeof(T), static (_, self) => self.Resolve<T>(), this);

    /// <summary>
    /// The serde of <typeparamref name="T"/>; when none is known, an <see cref="InvalidOperationException"/> that names the
    /// type, what it was needed for, and the two ways out.
    /// </summary>
    public Serde<T> Get<T>(string purpose) => Find<T>() ?? throw new InvalidOperationException(
        $"No serializer for {TypeName(typeof(T))} ({purpose}): add [JsonSerializable(typeof({TypeName(typeof(T))}))] to a JsonSerializerContext " +
        "and register it with WithJsonContext on the service's or the endpoint's builder (generated services use the assembly's [RestateSerializer] context), " +
        "or pass a Serde explicitly.");

    private Serde<T>? Resolve<T>()
    {
        if (BuiltIn<T>() is { } builtIn)
        {
            return builtIn;
        }
        foreach (var source in _sources)
        {
            if (source(typeof(T)) is JsonTypeInfo<T> typeInfo)
            {
                return Nullable.GetUnderlyingType(typeof(T)) is not null ? NullableOf(typeInfo) : Serde.Json(typeInfo);
            }
        }
        return _fallback?.Find<T>();
    }

    /// <summary>A serde for a nullable value type that reads an empty payload as null, like the built-in nullable ones.</summary>
    private static Serde<T> NullableOf<T>(JsonTypeInfo<T> typeInfo) => Serde.Json(typeInfo, whenEmpty: static () => default!);

    private static Serde<T>? BuiltIn<T>() => (typeof(T) switch
    {
        var t when t == typeof(string) => Serde.String,
        var t when t == typeof(int) => Serde.Int32,
        var t when t == typeof(int?) => Serde.NullableInt32,
        var t when t == typeof(long) => Serde.Int64,
        var t when t == typeof(long?) => Serde.NullableInt64,
        var t when t == typeof(bool) => Serde.Boolean,
        var t when t == typeof(bool?) => Serde.NullableBoolean,
        var t when t == typeof(byte[]) => Serde.Bytes,
        var t when t == typeof(ReadOnlyMemory<byte>) => Serde.ReadOnlyMemory,
        var t when t == typeof(double) => Serde.Json(RestateJsonContext.Default.Double),
        var t when t == typeof(double?) => Serde.NullableJson(RestateJsonContext.Default.NullableDouble),
        var t when t == typeof(Guid) => Serde.Json(RestateJsonContext.Default.Guid),
        var t when t == typeof(Guid?) => Serde.NullableJson(RestateJsonContext.Default.NullableGuid),
        var t when t == typeof(DateTimeOffset) => Serde.Json(RestateJsonContext.Default.DateTimeOffset),
        var t when t == typeof(DateTimeOffset?) => Serde.NullableJson(RestateJsonContext.Default.NullableDateTimeOffset),
        var t when t == typeof(TimeSpan) => Serde.Json(RestateJsonContext.Default.TimeSpan),
        _ => (object?)null,
    }) as Serde<T>;

    private static string TypeName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? TypeName(underlying) + "?"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}
