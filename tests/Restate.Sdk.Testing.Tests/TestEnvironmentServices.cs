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
