using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Restate.Sdk;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Endpoint;

[assembly: RestateSerializer(typeof(Restate.Sdk.Generators.AotSample.SampleJson))]

var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapRestate(RestateEndpoint.CreateBuilder()
    .Bind(Restate.Sdk.Generators.AotSample.Box.Definition())
    .Bind(Restate.Sdk.Generators.AotSample.Counter.Definition())
    .Bind(Restate.Sdk.Generators.AotSample.CounterCaller.Definition())
    .Bind(Restate.Sdk.Generators.AotSample.Tickets.Definition(new Restate.Sdk.Generators.AotSample.Tickets(limit: 3)))
    .Bind(Restate.Sdk.Generators.AotSample.Hooks.Definition())
    .Build());
app.Run();

namespace Restate.Sdk.Generators.AotSample
{
    public sealed record TicketRequest(string Buyer, int Count);

    public sealed record Ticket(string Buyer, int Seats, bool Confirmed);

    [JsonSerializable(typeof(TicketRequest))]
    [JsonSerializable(typeof(Ticket))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    internal sealed partial class SampleJson : JsonSerializerContext;

    /// <summary>Seats sold per concert.</summary>
    [VirtualObject("tickets")]
    public sealed partial class Tickets(int limit)
    {
        private static readonly StateKey<int> Sold = new("sold", Serde.Int32);

        /// <summary>Sells up to the limit.</summary>
        [Handler("buy")]
        public async Task<Ticket> BuyAsync(ObjectContext ctx, TicketRequest request)
        {
            var sold = await ctx.GetAsync(Sold);
            var seats = Math.Min(request.Count, limit - sold);
            ctx.Set(Sold, sold + seats);
            return new Ticket(request.Buyer, seats, seats > 0);
        }

        [Shared]
        [Handler("sold")]
        public static async Task<int> SoldAsync(SharedObjectContext ctx) => await ctx.GetAsync(Sold);
    }

    /// <summary>Buys through the typed client and reminds later with a delayed send.</summary>
    [Service("box")]
    public static partial class Box
    {
        [Handler("order")]
        public static async Task<Ticket> OrderAsync(Context ctx, TicketRequest request)
        {
            var tickets = ctx.ObjectClient<TicketsClient>("concert");
            var ticket = await tickets.BuyAsync(request);
            tickets.Send(new SendOptions { Delay = TimeSpan.FromMinutes(1) }).Sold();
            return ticket;
        }
    }

    // The README's "SDK in a minute" example, verbatim, so every build compiles it.
    [VirtualObject("Counter")]
    public partial class Counter
    {
        private static readonly StateKey<long> Count = new("count");

        [Handler("add")]
        public static async Task<long> AddAsync(ObjectContext ctx, long delta)
        {
            var total = await ctx.GetAsync(Count) + delta;
            ctx.Set(Count, total);
            return total;
        }
    }

    [Service("counterCaller")]
    public static partial class CounterCaller
    {
        [Handler("addFive")]
        public static async Task<long> AddFiveAsync(Context ctx)
        {
            var total = await ctx.ObjectClient<CounterClient>("my-counter").AddAsync(5);
            return total;
        }
    }

    /// <summary>A signed webhook: raw body, declared content types, and a custom serde for its text answer.</summary>
    [Service("hooks")]
    public static partial class Hooks
    {
        [Handler("event", Accept = "application/json", ContentType = "text/plain")]
        [return: Serde(typeof(TextSerde))]
        public static Task<string> EventAsync(Context ctx, ReadOnlyMemory<byte> body)
        {
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData("sample-key"u8, body.Span));
            return Task.FromResult(ctx.Request.Headers.GetValueOrDefault("x-signature") == expected ? "ok" : "bad signature");
        }
    }

    public sealed class TextSerde : Serde<string>
    {
        public override string ContentType => "text/plain";

        public override ReadOnlyMemory<byte> Serialize(string value) => Encoding.UTF8.GetBytes(value);

        public override string Deserialize(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
    }
}
