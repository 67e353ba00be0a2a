using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

[assembly: Restate.Sdk.RestateSerializer(typeof(Restate.Sdk.Testing.Tests.KitJson))]

namespace Restate.Sdk.Testing.Tests;

public sealed record Address(string Street, string City);

[JsonSerializable(typeof(Address))]
internal sealed partial class KitJson : JsonSerializerContext;

/// <summary>A counter with a record and raw bytes in its state, for the test environment's tests.</summary>
[VirtualObject("KitCounter")]
public sealed partial class KitCounter
{
    public static readonly StateKey<long> Count = new("count");
    public static readonly StateKey<Address> Home = new("home");
    public static readonly StateKey<byte[]> Blob = new("blob");

    [Handler("add")]
    public static async Task<long> AddAsync(ObjectContext ctx, long delta)
    {
        // A sleep makes the attempt suspend where the environment asks for it.
        await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
        var total = await ctx.GetAsync(Count) + delta;
        ctx.Set(Count, total);
        Log.CounterAt(ctx.Logger, ctx.Key, total);
        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "counter {Key} is at {Total}")]
        public static partial void CounterAt(ILogger logger, string key, long total);
    }

    [Handler("move")]
    public static Task MoveAsync(ObjectContext ctx, Address address)
    {
        ctx.Set(Home, address);
        ctx.Set(Blob, [0x00, 0xff, 0x10, 0x80]);
        return Task.CompletedTask;
    }
}

/// <summary>Formats greetings; a singleton the greeter gets by constructor injection.</summary>
public sealed class GreetingFormat
{
    private readonly string _greeting = "Hello";

    public string Format(string name, long visits) => $"{_greeting} {name}, visit {visits}";
}

/// <summary>How many <see cref="AttemptScope"/>s one environment created and disposed (a singleton there).</summary>
public sealed class ScopeLog
{
    private int _created;
    private int _disposed;

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public void OnCreated() => Interlocked.Increment(ref _created);

    public void OnDisposed() => Interlocked.Increment(ref _disposed);
}

/// <summary>A scoped dependency that reports its creation and disposal to <see cref="ScopeLog"/>.</summary>
public sealed class AttemptScope : IDisposable
{
    private readonly ScopeLog _log;

    public AttemptScope(ScopeLog log)
    {
        _log = log;
        log.OnCreated();
    }

    public void Dispose() => _log.OnDisposed();
}

/// <summary>A virtual object whose instance comes from dependency injection (AddService), with a sleep to suspend.</summary>
[VirtualObject("KitGreeter")]
public sealed partial class KitGreeter(GreetingFormat format, AttemptScope scope)
{
    private static readonly StateKey<long> Visits = new("visits");

    [Handler("greet")]
    public async Task<string> GreetAsync(ObjectContext ctx)
    {
        GC.KeepAlive(scope);
        await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
        var visits = await ctx.GetAsync(Visits) + 1;
        ctx.Set(Visits, visits);
        return format.Format(ctx.Key, visits);
    }
}
