using Microsoft.CodeAnalysis;
using Restate.Sdk.Generators.Tests.Infrastructure;

namespace Restate.Sdk.Generators.Tests;

/// <summary>
/// The generated source for representative classes, compared with the committed files in <c>Snapshots/</c>; each run
/// also compiles the output (with System.Text.Json's generator) and requires no errors, warnings or diagnostics.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Restate.Sdk;

        """;

    [Fact]
    public void Service_WithEveryHandlerShape_GeneratesDefinitionAndClients()
    {
        var source = Usings + """
            [assembly: RestateSerializer(typeof(Shop.ShopJson))]

            namespace Shop;

            public sealed record Order(string Id, int Quantity);

            public sealed record Confirmation(string OrderId, bool Accepted);

            [JsonSerializable(typeof(Order))]
            [JsonSerializable(typeof(Confirmation))]
            internal sealed partial class ShopJson : JsonSerializerContext;

            /// <summary>Takes orders.</summary>
            [Service("orders")]
            public sealed partial class Orders
            {
                /// <summary>Places an <see cref="Order"/>.</summary>
                /// <param name="order">The order.</param>
                [Handler("place")]
                public Task<Confirmation> PlaceAsync(Context ctx, Order order) => Task.FromResult(new Confirmation(order.Id, true));

                [Handler]
                public Task<string> PingAsync(Context ctx) => Task.FromResult("pong");

                [Handler]
                public Task ForgetAsync(Context ctx, string orderId) => Task.CompletedTask;

                [Handler]
                public ValueTask<long> CountAsync(Context ctx) => ValueTask.FromResult(1L);

                [Handler]
                public Task Noop(Context ctx) => Task.CompletedTask;

                public Task NotAHandlerAsync(Context ctx) => Task.CompletedTask;
            }
            """;

        AssertGenerates(source, "Shop.Orders.g.cs", "Service.g.cs");
    }

    [Fact]
    public void VirtualObject_WithSharedHandlers_GeneratesKeyedClient()
    {
        var source = Usings + """
            namespace Holiday;

            public sealed record FlightRequest(string BookingId, string? RunType);

            public sealed record Booking(string Id);

            [JsonSerializable(typeof(FlightRequest))]
            [JsonSerializable(typeof(Booking))]
            public sealed partial class FlightJson : JsonSerializerContext;

            public interface IBookingStore;

            [VirtualObject("flights", Serializer = typeof(FlightJson))]
            public partial class Flights(IBookingStore store)
            {
                public IBookingStore Store => store;

                [Handler("reserve")]
                public Task<Booking> ReserveAsync(ObjectContext ctx, FlightRequest request) => Task.FromResult(new Booking(request.BookingId));

                [Handler]
                public Task CancelAsync(ObjectContext ctx, Booking? booking) => Task.CompletedTask;

                [Shared]
                [Handler]
                public Task<Booking?> GetAsync(SharedObjectContext ctx) => Task.FromResult<Booking?>(null);

                [Shared]
                [Handler("keys")]
                public Task<int> CountKeysAsync(SharedObjectContext ctx, bool includeEmpty) => Task.FromResult(0);
            }
            """;

        AssertGenerates(source, "Holiday.Flights.g.cs", "VirtualObject.g.cs");
    }

    [Fact]
    public void Workflow_WithRunAndSharedHandlers_GeneratesRunAndSharedRegistrations()
    {
        var source = Usings + """
            [assembly: RestateSerializer(typeof(Signups.SignupJson))]

            namespace Signups;

            public sealed record User(string Email, string Name);

            [JsonSerializable(typeof(User))]
            internal sealed partial class SignupJson : JsonSerializerContext;

            [Workflow]
            internal partial class Signup
            {
                [Handler]
                public Task<bool> RunAsync(WorkflowContext ctx, User user) => Task.FromResult(true);

                [Shared]
                [Handler]
                public Task ApproveAsync(SharedWorkflowContext ctx, string secret) => Task.CompletedTask;

                [Shared]
                [Handler]
                public Task<string> StatusAsync(SharedWorkflowContext ctx) => Task.FromResult("pending");
            }
            """;

        AssertGenerates(source, "Signups.Signup.g.cs", "Workflow.g.cs");
    }

    [Fact]
    public void Options_OnClassAndHandlers_BecomeHandlerOptions()
    {
        var source = Usings + """
            using Restate.Sdk.Definitions;

            namespace Configured;

            [VirtualObject("carts", Documentation = "Shopping carts", InactivityTimeout = "30s", AbortTimeout = "2m",
                JournalRetention = "1d", IdempotencyRetention = "3h", EnableLazyState = true, RetryInitialInterval = "100ms",
                RetryMaxInterval = "5s", RetryMaxAttempts = 7, RetryExponentiationFactor = 1.5, RetryOnMaxAttempts = OnMaxAttempts.Kill,
                OnJournalMismatch = OnJournalMismatch.Fail)]
            public partial class Carts
            {
                /// <summary>Not used: the attribute's documentation wins.</summary>
                [Handler(Documentation = "Adds an item", IngressPrivate = true, InactivityTimeout = "1h 30m", RetryMaxAttempts = 2)]
                public Task<int> AddAsync(ObjectContext ctx, string item) => Task.FromResult(1);

                [Shared]
                [Handler(EnableLazyState = false, RetryOnMaxAttempts = OnMaxAttempts.Pause, OnJournalMismatch = OnJournalMismatch.Pause)]
                public Task<int> CountAsync(SharedObjectContext ctx) => Task.FromResult(1);
            }

            [Workflow(WorkflowCompletionRetention = "7d", IdempotencyRetention = "1h")]
            public partial class Checkout
            {
                [Handler]
                public Task RunAsync(WorkflowContext ctx) => Task.CompletedTask;

                [Shared]
                [Handler(IdempotencyRetention = "10m")]
                public Task PayAsync(SharedWorkflowContext ctx) => Task.CompletedTask;
            }
            """;

        var run = GeneratorHarness.Run(source);

        AssertClean(run);
        Snapshot.Match(run.GeneratedSources["Configured.Carts.g.cs"], "Options.Carts.g.cs");
        Snapshot.Match(run.GeneratedSources["Configured.Checkout.g.cs"], "Options.Checkout.g.cs");
    }

    [Fact]
    public void Payloads_NullableAndNonNullable_GetSerdesThatReadAnEmptyBodyAsNullOnlyWhenNullable()
    {
        var source = Usings + """
            using System;

            [assembly: RestateSerializer(typeof(Catalog.CatalogJson))]

            namespace Catalog;

            public enum Color { Red, Green, Blue = 7 }

            public sealed record Product(Guid Id, string Title, string? Subtitle, Color Color);

            [JsonSerializable(typeof(Product))]
            [JsonSerializable(typeof(List<Product>))]
            [JsonSerializable(typeof(Color?), TypeInfoPropertyName = "MaybeColor")]
            public sealed partial class CatalogJson : JsonSerializerContext;

            [Service]
            public partial class Products
            {
                [Handler]
                public Task<List<Product>> ListAsync(Context ctx, Color? color) => Task.FromResult(new List<Product>());

                [Handler]
                public Task<Product?> FindAsync(Context ctx, string? sku) => Task.FromResult<Product?>(null);

                [Handler]
                public Task<Product> AddAsync(Context ctx, Product? product) => Task.FromResult(product!);

                [Handler]
                public Task<int?> StockAsync(Context ctx, int? warehouse) => Task.FromResult<int?>(null);

                [Handler]
                public Task<long?> SoldAsync(Context ctx, long? since) => Task.FromResult<long?>(null);

                [Handler]
                public Task<bool?> ActiveAsync(Context ctx, bool? filter) => Task.FromResult<bool?>(null);

                [Handler]
                public Task<byte[]?> ThumbnailAsync(Context ctx, byte[]? fallback) => Task.FromResult(fallback);

                [Handler]
                public Task<byte[]> ImageAsync(Context ctx, Guid id) => Task.FromResult(Array.Empty<byte>());

                [Handler]
                public Task<bool> RenameAsync(Context ctx, string title) => Task.FromResult(true);

                [Handler]
                public Task<long> CountAsync(Context ctx, int page) => Task.FromResult(0L);
            }
            """;

        AssertGenerates(source, "Catalog.Products.g.cs", "Payloads.g.cs");
    }

    [Fact]
    public void RawBodiesAndCustomSerdes_WithAcceptContentTypeAndSerde_GenerateOptionsAndSerdeInstances()
    {
        var source = Usings + """
            using System;
            using System.Text;

            namespace Hooks;

            public sealed record Order(string Id);

            /// <summary>Orders as "id" text, no JSON context needed.</summary>
            public sealed class OrderSerde : Serde<Order>
            {
                public override string ContentType => "application/vnd.hooks.order";

                public override ReadOnlyMemory<byte> Serialize(Order value) => Encoding.UTF8.GetBytes(value.Id);

                public override Order Deserialize(ReadOnlyMemory<byte> bytes) => new(Encoding.UTF8.GetString(bytes.Span));
            }

            public sealed class TextSerde : Serde<string>
            {
                public override string ContentType => "text/plain";

                public override ReadOnlyMemory<byte> Serialize(string value) => Encoding.UTF8.GetBytes(value);

                public override string Deserialize(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
            }

            [Service("webhooks")]
            public static partial class Webhooks
            {
                /// <summary>A signed JSON event, read as the exact bytes that were signed.</summary>
                [Handler("stripe", Accept = "application/json", ContentType = "text/plain; charset=utf-8")]
                [return: Serde(typeof(TextSerde))]
                public static Task<string> StripeAsync(Context ctx, ReadOnlyMemory<byte> body) => Task.FromResult(body.Length.ToString());

                [Handler(Accept = "*/*", ContentType = "application/pdf")]
                public static Task<byte[]> RenderAsync(Context ctx, byte[] document) => Task.FromResult(document);

                [Handler(Accept = "text/*")]
                [return: Serde(typeof(OrderSerde))]
                public static Task<Order> PlaceAsync(Context ctx, [Serde(typeof(OrderSerde))] Order order) => Task.FromResult(order);

                [Handler]
                [return: Serde(typeof(OrderSerde))]
                public static Task<Order?> FindAsync(Context ctx, [Serde(typeof(TextSerde))] string id) => Task.FromResult<Order?>(null);
            }
            """;

        AssertGenerates(source, "Hooks.Webhooks.g.cs", "RawBodies.g.cs");
    }

    [Theory]
    [InlineData("System.ReadOnlyMemory<byte>", "global::Restate.Sdk.Serde.ReadOnlyMemory")]
    [InlineData("string?", "global::Restate.Sdk.Serde.NullableString")]
    [InlineData("int?", "global::Restate.Sdk.Serde.NullableInt32")]
    [InlineData("long?", "global::Restate.Sdk.Serde.NullableInt64")]
    [InlineData("bool?", "global::Restate.Sdk.Serde.NullableBoolean")]
    [InlineData("byte[]?", "global::Restate.Sdk.Serde.NullableBytes")]
    [InlineData("Item?", "global::Restate.Sdk.Serde.NullableJson(global::ItemJson.Default.Item)")]
    [InlineData("Level?", "global::Restate.Sdk.Serde.NullableJson(global::ItemJson.Default.NullableLevel)")]
    [InlineData("string", "global::Restate.Sdk.Serde.String")]
    [InlineData("int", "global::Restate.Sdk.Serde.Int32")]
    [InlineData("Item", "global::Restate.Sdk.Serde.Json(global::ItemJson.Default.Item)")]
    public void Payload_OfEachKind_UsesTheSerdeForItsNullability(string type, string serde)
    {
        var run = GeneratorHarness.Run(Usings + $$"""
            public sealed record Item(string Name);

            public enum Level { Low, High }

            [JsonSerializable(typeof(Item))]
            [JsonSerializable(typeof(Level?))]
            public sealed partial class ItemJson : JsonSerializerContext;

            [Service(Serializer = typeof(ItemJson))]
            public partial class Orders
            {
                [Handler] public Task<{{type}}> EchoAsync(Context ctx, {{type}} value) => Task.FromResult(value);
            }
            """);

        AssertClean(run);
        var source = run.GeneratedSources["Orders.g.cs"];
        Assert.Contains($"EchoAsyncInput =\n        {serde};", source, StringComparison.Ordinal);
        Assert.Contains($"EchoAsyncOutput =\n        {serde};", source, StringComparison.Ordinal);
        Assert.DoesNotContain("WithJsonSchema", source, StringComparison.Ordinal);
    }

    [Fact]
    public void StaticClassAndStaticHandlers_GenerateParameterlessDefinition()
    {
        var source = Usings + """
            namespace Greetings;

            [Service]
            public static partial class Greeter
            {
                [Handler]
                public static Task<string> GreetAsync(Context ctx, string name) => Task.FromResult($"Hello {name}");
            }

            [VirtualObject]
            public sealed partial class Counter
            {
                [Handler]
                public static Task<long> AddAsync(ObjectContext ctx, long delta) => Task.FromResult(delta);

                [Handler]
                public Task ResetAsync(ObjectContext ctx) => Task.CompletedTask;
            }

            [Service]
            public partial class Clock
            {
                [Handler]
                public static Task<long> TicksAsync(Context ctx) => Task.FromResult(42L);
            }
            """;

        var run = GeneratorHarness.Run(source);

        AssertClean(run);
        Snapshot.Match(run.GeneratedSources["Greetings.Greeter.g.cs"], "Static.Greeter.g.cs");
        Snapshot.Match(run.GeneratedSources["Greetings.Counter.g.cs"], "Static.Counter.g.cs");
        // Not static, but all handlers are: Definition() only, and IRestateService's factory overload ignores its factory.
        Snapshot.Match(run.GeneratedSources["Greetings.Clock.g.cs"], "Static.Clock.g.cs");
    }

    [Fact]
    public void GlobalNamespaceRecordService_WithInternalPayload_GeneratesInternalClient()
    {
        var source = Usings + """
            [assembly: RestateSerializer(typeof(GlobalJson))]

            internal sealed record Secret(string Value);

            [JsonSerializable(typeof(Secret))]
            internal sealed partial class GlobalJson : JsonSerializerContext;

            [Service]
            public partial record Vault
            {
                [Handler]
                internal Task StoreAsync(Context ctx, Secret secret) => Task.CompletedTask;

                [Handler("class")]
                private Task<int> @class(Context ctx, int @event) => Task.FromResult(@event);
            }
            """;

        AssertGenerates(source, "Vault.g.cs", "GlobalNamespace.g.cs");
    }

    private const string IngressSource = Usings + """
        [assembly: RestateSerializer(typeof(Loans.LoanJson))]

        namespace Loans;

        public sealed record Application(string Applicant, long Amount);

        [JsonSerializable(typeof(Application))]
        internal sealed partial class LoanJson : JsonSerializerContext;

        [Workflow("loan")]
        public sealed partial class Loan
        {
            [Handler]
            public Task<bool> RunAsync(WorkflowContext ctx, Application application) => Task.FromResult(true);

            [Handler, Shared]
            public Task ApproveAsync(SharedWorkflowContext ctx, string cancellationToken) => Task.CompletedTask;

            [Handler, Shared]
            public Task<string> Status(SharedWorkflowContext ctx) => Task.FromResult("pending");

            [Handler(IngressPrivate = true), Shared]
            public Task AuditAsync(SharedWorkflowContext ctx) => Task.CompletedTask;
        }

        [VirtualObject(IngressPrivate = true)]
        public sealed partial class Ledger
        {
            [Handler]
            public Task AddAsync(ObjectContext ctx, long amount) => Task.CompletedTask;
        }
        """;

    [Fact]
    public void IngressClients_WithTheClientReferenced_CallSubmitAttachAndSkipPrivateHandlers()
    {
        var run = GeneratorHarness.Run(IngressSource, withClient: true);

        AssertClean(run);
        Snapshot.Match(run.GeneratedSources["Loans.Loan.g.cs"], "Ingress.Loan.g.cs");
        // Every handler of Ledger is private to the ingress: no client for outside callers at all.
        Assert.DoesNotContain("LedgerIngressClient", run.GeneratedSources["Loans.Ledger.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void IngressClients_WithoutTheClientReferenced_AreNotGenerated()
    {
        var run = GeneratorHarness.Run(IngressSource);

        AssertClean(run);
        Assert.DoesNotContain("IngressClient", run.GeneratedSources["Loans.Loan.g.cs"], StringComparison.Ordinal);
        Assert.Contains("public sealed class LoanClient", run.GeneratedSources["Loans.Loan.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void IngressClient_OfAWorkflowWhoseRunReturnsNothing_AttachesWithoutAResult()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Workflow]
            public sealed partial class Cleanup
            {
                [Handler] public Task RunAsync(WorkflowContext ctx) => Task.CompletedTask;
            }
            """, withClient: true);

        AssertClean(run);
        var source = run.GeneratedSources["Cleanup.g.cs"];
        Assert.Contains("public global::System.Threading.Tasks.Task AttachAsync(", source, StringComparison.Ordinal);
        Assert.DoesNotContain("GetOutputAsync", source, StringComparison.Ordinal);
    }

    [Fact]
    public void IngressClients_OfAServiceAndAnObject_AttachAndGetOutputByIdempotencyKeyWithEachHandlersOutputSerde()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Shop;

            [Service]
            public sealed partial class Orders
            {
                [Handler] public Task<long> PlaceAsync(Context ctx, string item) => Task.FromResult(1L);

                [Handler] public Task ForgetAsync(Context ctx) => Task.CompletedTask;

                [Handler(IngressPrivate = true)] public Task<int> InternalAsync(Context ctx) => Task.FromResult(1);
            }

            [VirtualObject]
            public sealed partial class Carts
            {
                [Shared]
                [Handler] public Task<string?> PeekAsync(SharedObjectContext ctx) => Task.FromResult<string?>(null);
            }
            """, withClient: true);

        AssertClean(run);
        var orders = run.GeneratedSources["Shop.Orders.g.cs"];
        var carts = run.GeneratedSources["Shop.Carts.g.cs"];
        const string Token = "(global::System.Threading.CancellationToken cancellationToken = default)";
        Assert.Contains("public OrdersIngressAttachClient Attach(string idempotencyKey) =>\n        new(_client, idempotencyKey);", orders, StringComparison.Ordinal);
        Assert.Contains("public OrdersIngressOutputClient GetOutput(string idempotencyKey) =>\n        new(_client, idempotencyKey);", orders, StringComparison.Ordinal);
        Assert.Contains("public global::System.Threading.Tasks.Task<long> PlaceAsync" + Token + " =>\n        _client.AttachAsync(global::Restate.Sdk.Target.ForService(OrdersClient.ServiceName, \"Place\"), _idempotencyKey, OrdersSerdes.PlaceAsyncOutput, cancellationToken);", orders, StringComparison.Ordinal);
        Assert.Contains("public global::System.Threading.Tasks.Task<global::Restate.Sdk.InvocationOutput<long>> PlaceAsync" + Token, orders, StringComparison.Ordinal);
        // No output: attach is a Task, and the output says only whether it finished.
        Assert.Contains("public global::System.Threading.Tasks.Task ForgetAsync" + Token, orders, StringComparison.Ordinal);
        Assert.Contains("public async global::System.Threading.Tasks.Task<bool> ForgetAsync" + Token, orders, StringComparison.Ordinal);
        // Private to the ingress: no ingress send, attach or output method.
        Assert.DoesNotContain("InternalAsync(global::System.Threading.CancellationToken", orders, StringComparison.Ordinal);
        Assert.Contains("public CartsIngressAttachClient Attach(string idempotencyKey) =>\n        new(_client, Key, idempotencyKey);", carts, StringComparison.Ordinal);
        Assert.Contains("public global::System.Threading.Tasks.Task<global::Restate.Sdk.InvocationOutput<string?>> PeekAsync" + Token + " =>\n        _client.GetOutputAsync(global::Restate.Sdk.Target.ForObject(CartsClient.ServiceName, _key, \"Peek\"), _idempotencyKey, CartsSerdes.PeekAsyncOutput, cancellationToken);", carts, StringComparison.Ordinal);
    }

    [Fact]
    public void IngressClient_OfAWorkflowWithOnlyARun_HasNoAttachByIdempotencyKey()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Workflow]
            public sealed partial class Cleanup
            {
                [Handler] public Task<int> RunAsync(WorkflowContext ctx) => Task.FromResult(1);
            }
            """, withClient: true);

        AssertClean(run);
        var source = run.GeneratedSources["Cleanup.g.cs"];
        // The ingress refuses an idempotency key on a workflow's run: the workflow id attaches to it (AttachAsync()).
        Assert.Contains("public global::System.Threading.Tasks.Task<int> AttachAsync(", source, StringComparison.Ordinal);
        Assert.DoesNotContain("string idempotencyKey", source, StringComparison.Ordinal);
        Assert.DoesNotContain("CleanupIngressAttachClient", source, StringComparison.Ordinal);
        Assert.DoesNotContain("CleanupIngressOutputClient", source, StringComparison.Ordinal);
    }

    private static void AssertGenerates(string source, string hintName, string snapshot)
    {
        var run = GeneratorHarness.Run(source);

        AssertClean(run);
        Assert.Contains(hintName, run.GeneratedSources.Keys);
        Snapshot.Match(run.GeneratedSources[hintName], snapshot);
    }

    private static void AssertClean(GeneratorRun run)
    {
        Assert.Empty(run.GeneratorDiagnostics);
        var problems = run.CompilationDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
