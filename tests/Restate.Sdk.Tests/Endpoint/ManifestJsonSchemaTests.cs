using System.Text.Json.Nodes;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Tests.Endpoint;

/// <summary>JSON schemas carried by serdes reach the discovery manifest as <c>input/output.jsonSchema</c>.</summary>
public sealed class ManifestJsonSchemaTests
{
    [Fact]
    public void Write_SerdesWithSchemas_WritesInputAndOutputJsonSchema()
    {
        var service = ServiceDefinition.ForService("Greeter")
            .Handler("greet", (Context _, string name) => Task.FromResult(name),
                Serde.String.WithJsonSchema("""{"type":"string","minLength":1}"""), Serde.String.WithJsonSchema("""{"type":"string"}"""))
            .Build();

        var handler = Handler(service);

        Assert.Equal("""{"required":false,"contentType":"application/json","jsonSchema":{"type":"string","minLength":1}}""", handler["input"]!.ToJsonString());
        Assert.Equal("""{"contentType":"application/json","setContentTypeIfEmpty":false,"jsonSchema":{"type":"string"}}""", handler["output"]!.ToJsonString());
    }

    [Fact]
    public void Write_BuilderHandlerWithJsonSerdes_WritesTheSchemasSystemTextJsonExports()
    {
        var service = ServiceDefinition.ForService("Shapes")
            .Handler("area", (Context _, Shape shape) => Task.FromResult<long?>(null), Serde.Json(SchemaJson.Default.Shape), Serde.NullableInt64)
            .Build();

        var handler = Handler(service);

        Assert.Equal(Serde.Json(SchemaJson.Default.Shape).JsonSchema, handler["input"]!["jsonSchema"]!.ToJsonString());
        Assert.Equal("""{"type":["integer","null"]}""", handler["output"]!["jsonSchema"]!.ToJsonString());
    }

    [Fact]
    public void Write_SerdesWithoutSchemas_WritesNoJsonSchema()
    {
        var service = ServiceDefinition.ForService("Blobs")
            .Handler("copy", (Context _, byte[] blob) => Task.FromResult(blob), Serde.Bytes, new CountingSerde())
            .Build();

        var handler = Handler(service);

        Assert.Null(handler["input"]!["jsonSchema"]);
        Assert.Null(handler["output"]!["jsonSchema"]);
    }

    [Fact]
    public void Build_ThenWrite_ReadsTheSerdesSchemaOnlyForTheManifest()
    {
        var output = new CountingSerde();
        var service = ServiceDefinition.ForService("Blobs")
            .Handler("copy", (Context _, byte[] blob) => Task.FromResult(blob), Serde.Bytes, output)
            .Build();
        var readsWhenBuilt = output.SchemaReads;

        _ = Handler(service);

        Assert.Equal(0, readsWhenBuilt);
        Assert.Equal(1, output.SchemaReads);
    }

    [Fact]
    public void WithJsonSchema_AppliedTwice_KeepsTheLastSchemaAndTheEncoding()
    {
        var serde = Serde.Int32.WithJsonSchema("""{"type":"number"}""").WithJsonSchema("""{"type":"integer"}""");

        Assert.Equal("""{"type":"integer"}""", serde.JsonSchema);
        Assert.Equal("application/json", serde.ContentType);
        Assert.Equal(42, serde.Deserialize(serde.Serialize(42)));
    }

    [Fact]
    public void WithJsonSchema_NotJson_Throws()
    {
        var failure = Assert.Throws<ArgumentException>(() => Serde.String.WithJsonSchema("{type:"));

        Assert.StartsWith("The JSON schema is not valid JSON", failure.Message, StringComparison.Ordinal);
    }

    private static JsonNode Handler(ServiceDefinition service)
    {
        var manifest = JsonNode.Parse(ManifestWriter.Write([service], ProtocolMode.BidiStream))!;
        return manifest["services"]![0]!["handlers"]![0]!;
    }

    /// <summary>Raw bytes without a schema, counting how often its schema is asked for.</summary>
    private sealed class CountingSerde : Serde<byte[]>
    {
        public int SchemaReads { get; private set; }

        public override string? ContentType => "application/octet-stream";

        public override string? JsonSchema
        {
            get
            {
                SchemaReads++;
                return null;
            }
        }

        public override ReadOnlyMemory<byte> Serialize(byte[] value) => value;

        public override byte[] Deserialize(ReadOnlyMemory<byte> bytes) => bytes.ToArray();
    }
}
