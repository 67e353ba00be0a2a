using System.Text;
using System.Text.Json.Serialization;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Tests;

public sealed record Order(string Id, int Quantity);

public sealed record Unregistered(string Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(int?))]
public sealed partial class OrderJson : JsonSerializerContext;

public sealed class SerdeResolverTests
{
    [Fact]
    public void Get_BuiltInTypes_NeedNoContext()
    {
        var serdes = SerdeResolver.BuiltIns;

        Assert.Same(Serde.String, serdes.Get<string>("test"));
        Assert.Same(Serde.Int64, serdes.Get<long>("test"));
        Assert.Same(Serde.NullableInt32, serdes.Get<int?>("test"));
        Assert.Same(Serde.Bytes, serdes.Get<byte[]>("test"));
        Assert.Same(Serde.ReadOnlyMemory, serdes.Get<ReadOnlyMemory<byte>>("test"));
        var id = Guid.NewGuid();
        Assert.Equal(id, serdes.Get<Guid>("test").Deserialize(serdes.Get<Guid>("test").Serialize(id)));
        Assert.Null(serdes.Get<double?>("test").Deserialize(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Get_TypeOfARegisteredContext_UsesTheContextsOptions()
    {
        var serdes = SerdeResolver.Create([SerdeResolver.From(OrderJson.Default)]);

        var json = Encoding.UTF8.GetString(serdes.Get<Order>("test").Serialize(new Order("o-1", 3)).Span);

        Assert.Equal("""{"id":"o-1","quantity":3}""", json);
        Assert.Same(serdes.Get<Order>("test"), serdes.Get<Order>("test"));
    }

    [Fact]
    public void Get_ServiceContextThenEndpointContext_AsksInThatOrder()
    {
        var service = SerdeResolver.Create([]);
        var endpoint = SerdeResolver.Create([SerdeResolver.From(OrderJson.Default)]);

        var serdes = service.Then(endpoint);

        Assert.Equal(new Order("o-2", 1), serdes.Get<Order>("test").Deserialize(Encoding.UTF8.GetBytes("""{"id":"o-2","quantity":1}""")));
    }

    [Fact]
    public void Get_UnknownType_NamesItWhatItWasForAndBothWaysOut()
    {
        var serdes = SerdeResolver.Create([SerdeResolver.From(OrderJson.Default)]);

        var error = Assert.Throws<InvalidOperationException>(() => serdes.Get<Unregistered>("state 'profile'"));

        Assert.StartsWith("No serializer for Unregistered (state 'profile'): add [JsonSerializable(typeof(Unregistered))] to a JsonSerializerContext", error.Message, StringComparison.Ordinal);
        Assert.Contains("WithJsonContext", error.Message, StringComparison.Ordinal);
        Assert.Contains("or pass a Serde explicitly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HandlerWithoutSerdes_FindsThemInTheServicesContext()
    {
        var service = ServiceDefinition.ForService("orders")
            .WithJsonContext(OrderJson.Default)
            .Handler("place", (Context ctx, Order order) => Task.FromResult(order.Quantity))
            .Build();

        var handler = Assert.Single(service.Handlers);
        Assert.Equal("application/json", handler.InputContentType);
        Assert.Contains("\"quantity\"", handler.InputJsonSchema, StringComparison.Ordinal);
        Assert.Equal("application/json", handler.OutputContentType);
    }

    [Fact]
    public void Build_HandlerInputTypeNoContextKnows_NamesTheHandlerAndTheType()
    {
        var builder = ServiceDefinition.ForService("orders")
            .Handler("place", (Context ctx, Unregistered request) => Task.FromResult(request.Name));

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.StartsWith("No serializer for Unregistered (the input of orders/place)", error.Message, StringComparison.Ordinal);
    }
}
