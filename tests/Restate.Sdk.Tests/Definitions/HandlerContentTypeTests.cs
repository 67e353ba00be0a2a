using System.Text.Json.Nodes;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Tests.Definitions;

/// <summary>
/// <see cref="HandlerOptions.Accept"/> and <see cref="HandlerOptions.ContentType"/> on the builders: they replace the
/// serdes' content types in the manifest, and <c>Build()</c> refuses what restate-server could not use.
/// </summary>
public sealed class HandlerContentTypeTests
{
    [Fact]
    public void Build_AcceptAndContentType_ReplaceTheSerdesContentTypesInTheManifest()
    {
        var service = ServiceDefinition.ForService("webhooks")
            .Handler("receive", (Context _, ReadOnlyMemory<byte> body) => Task.FromResult(body), Serde.ReadOnlyMemory, Serde.ReadOnlyMemory,
                new HandlerOptions { Accept = "application/json", ContentType = "text/plain; charset=utf-8" })
            .Build();

        var handler = Handler(service);

        Assert.Equal("application/json", service.Handlers[0].InputContentType);
        Assert.Equal("text/plain; charset=utf-8", service.Handlers[0].OutputContentType);
        Assert.Equal("""{"required":false,"contentType":"application/json"}""", handler["input"]!.ToJsonString());
        Assert.Equal("""{"contentType":"text/plain; charset=utf-8","setContentTypeIfEmpty":false}""", handler["output"]!.ToJsonString());
    }

    [Fact]
    public void Build_RawHandlerWithoutSerdes_ReadsTheBodyAsReadOnlyMemoryUnderItsAccept()
    {
        var service = ServiceDefinition.ForService("webhooks")
            .Handler("receive", (Context _, ReadOnlyMemory<byte> body) => Task.FromResult(body.Length), options: new HandlerOptions { Accept = "*/*" })
            .Build();

        Assert.Equal("*/*", service.Handlers[0].InputContentType);
        Assert.Equal("application/json", service.Handlers[0].OutputContentType);
    }

    [Fact]
    public void Build_WithoutAcceptOrContentType_KeepsTheSerdesContentTypes()
    {
        var service = ServiceDefinition.ForService("blobs")
            .Handler("copy", (Context _, byte[] blob) => Task.FromResult(blob), Serde.Bytes, Serde.Bytes, new HandlerOptions { Documentation = "Copies." })
            .Build();

        Assert.Equal("application/octet-stream", service.Handlers[0].InputContentType);
        Assert.Equal("application/octet-stream", service.Handlers[0].OutputContentType);
    }

    [Fact]
    public void Build_AcceptWildcardWithJsonSerde_KeepsTheSchemaUnderTheNewContentType()
    {
        var service = ServiceDefinition.ForService("greeter")
            .Handler("greet", (Context _, string name) => Task.FromResult(name), Serde.String, Serde.String, new HandlerOptions { Accept = "application/*" })
            .Build();

        var input = Handler(service)["input"]!;

        Assert.Equal("application/*", input["contentType"]!.GetValue<string>());
        Assert.Equal("""{"type":"string"}""", input["jsonSchema"]!.ToJsonString());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/*")]
    [InlineData("*/*")]
    [InlineData("application/vnd.api+json")]
    public void Build_ValidAccept_IsPublished(string accept)
    {
        var service = ServiceDefinition.ForWorkflow("signup")
            .Run("run", (WorkflowContext _, byte[] body) => Task.CompletedTask, Serde.Bytes, new HandlerOptions { Accept = accept })
            .Build();

        Assert.Equal(accept, Handler(service)["input"]!["contentType"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("json", "use one media type such as \"application/json\", or a wildcard \"text/*\" or \"*/*\"")]
    [InlineData("*/json", "restate-server has no wildcard \"*/subtype\": use \"type/*\" or \"*/*\"")]
    [InlineData("application/json; charset=utf-8", "restate-server compares type and subtype only, so a parameter would never match: drop it")]
    [InlineData("application/json,text/plain", "restate-server takes one media type per handler, not a list")]
    [InlineData("Application/Json",
        "write it in lower case (\"application/json\"): restate-server compares media types case-sensitively, and clients send them in lower case")]
    [InlineData("application/json\n", "use one media type such as \"application/json\", or a wildcard \"text/*\" or \"*/*\"")]
    public void Build_InvalidAccept_ThrowsNamingTheHandlerAndTheRule(string accept, string why)
    {
        var builder = ServiceDefinition.ForService("webhooks")
            .Handler("receive", (Context _, byte[] body) => Task.FromResult(body), Serde.Bytes, Serde.Bytes, new HandlerOptions { Accept = accept });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal($"Handler 'webhooks/receive': Accept '{accept}' is invalid: {why}.", error.Message);
    }

    [Theory]
    [InlineData("text/*", "a response has one media type, not a wildcard")]
    [InlineData("text", "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"")]
    [InlineData("text/plain; charset", "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"")]
    public void Build_InvalidContentType_ThrowsNamingTheHandlerAndTheRule(string contentType, string why)
    {
        var builder = ServiceDefinition.ForVirtualObject("pages")
            .SharedHandler("render", (SharedObjectContext _) => Task.FromResult("<p/>"u8.ToArray()), Serde.Bytes, new HandlerOptions { ContentType = contentType });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal($"Shared handler 'pages/render': ContentType '{contentType}' is invalid: {why}.", error.Message);
    }

    [Fact]
    public void Build_AcceptOnHandlerWithoutInput_Throws()
    {
        var builder = ServiceDefinition.ForService("webhooks")
            .Handler("ping", (Context _) => Task.FromResult("pong"), Serde.String, new HandlerOptions { Accept = "application/json" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal("Handler 'webhooks/ping': Accept 'application/json' is invalid: the handler takes no input, so there is no request body to accept.",
            error.Message);
    }

    [Fact]
    public void Build_ContentTypeOnHandlerWithoutOutput_Throws()
    {
        var builder = ServiceDefinition.ForService("webhooks")
            .Handler("receive", (Context _, byte[] body) => Task.CompletedTask, Serde.Bytes, new HandlerOptions { ContentType = "text/plain" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal("Handler 'webhooks/receive': ContentType 'text/plain' is invalid: the handler returns no output, so there is no response body to label.",
            error.Message);
    }

    [Theory]
    [InlineData("Accept")]
    [InlineData("ContentType")]
    public void Build_ContentTypesInServiceOptions_ThrowsPointingAtTheHandlerOptions(string option)
    {
        var options = option == "Accept" ? new HandlerOptions { Accept = "application/json" } : new HandlerOptions { ContentType = "text/html" };
        var builder = ServiceDefinition.ForVirtualObject("pages", options)
            .Handler("render", (ObjectContext _, byte[] body) => Task.FromResult(body), Serde.Bytes, Serde.Bytes);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Equal($"Virtual object 'pages': {option} describes the request or response body of one handler: set it in the HandlerOptions of that "
            + "handler, not of the service.", error.Message);
    }

    private static JsonNode Handler(ServiceDefinition service)
    {
        var manifest = JsonNode.Parse(ManifestWriter.Write([service], ProtocolMode.BidiStream))!;
        return manifest["services"]![0]!["handlers"]![0]!;
    }
}
