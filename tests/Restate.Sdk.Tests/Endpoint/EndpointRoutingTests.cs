using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Tests.Endpoint;

/// <summary>The transport-independent routes: the health check and the protocol mode discovery announces.</summary>
public sealed class EndpointRoutingTests
{
    private const string ManifestV4 = "application/vnd.restate.endpointmanifest.v4+json";

    // A valid key (restate-server's format): requests without its signature are refused with 401.
    private const string IdentityKey = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    private static readonly ServiceDefinition Greeter = ServiceDefinition.ForService("Greeter")
        .Handler("greet", (Context _, string name) => Task.FromResult($"Hello {name}"), Serde.String, Serde.String)
        .Handler("health", (Context _) => Task.FromResult("a handler named health"), Serde.String)
        .Build();

    [Theory]
    [InlineData("/health")]
    [InlineData("/restate/health")]
    [InlineData("/a/b/health")]
    public void Handle_HealthGetOnSignedEndpoint_Answers200WithoutIdentityCheck(string path)
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).WithIdentityKeys(IdentityKey).Build();

        var reply = Assert.IsType<EndpointResult.Reply>(endpoint.Handle(Request("GET", path)));

        Assert.Equal(200, reply.Status);
        Assert.Equal("OK", Encoding.UTF8.GetString(reply.Body.Span));
    }

    [Fact]
    public void Handle_HealthHead_Answers200()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();

        var reply = Assert.IsType<EndpointResult.Reply>(endpoint.Handle(Request("HEAD", "/health")));

        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public void Handle_HealthPost_Answers405NamingGet()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();

        var reply = Assert.IsType<EndpointResult.Reply>(endpoint.Handle(Request("POST", "/health")));

        Assert.Equal(405, reply.Status);
        Assert.Contains("GET", Encoding.UTF8.GetString(reply.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_InvokeOfAHandlerNamedHealth_IsAnInvocationNotTheHealthCheck()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();

        var result = endpoint.Handle(Request("POST", "/invoke/Greeter/health", "application/vnd.restate.invocation.v6"));

        Assert.IsType<EndpointResult.Invocation>(result);
    }

    [Fact]
    public void Handle_InvokeOfAHandlerNamedHealthOnSignedEndpoint_StillNeedsTheSignature()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).WithIdentityKeys(IdentityKey).Build();

        var reply = Assert.IsType<EndpointResult.Reply>(endpoint.Handle(Request("POST", "/restate/invoke/Greeter/health")));

        Assert.Equal(401, reply.Status);
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream, "REQUEST_RESPONSE")]
    [InlineData(ProtocolMode.RequestResponse, "REQUEST_RESPONSE")]
    public void Discover_ForcedRequestResponse_AnnouncesRequestResponseWhateverTheTransportOffers(ProtocolMode transport, string expected)
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).WithProtocolMode(ProtocolMode.RequestResponse).Build();

        Assert.Equal(expected, DiscoveredMode(endpoint, transport));
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream, "BIDI_STREAM")]
    [InlineData(ProtocolMode.RequestResponse, "REQUEST_RESPONSE")]
    public void Discover_DefaultMode_FollowsTheTransport(ProtocolMode transport, string expected)
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();

        Assert.Equal(ProtocolMode.BidiStream, endpoint.ProtocolMode);
        Assert.Equal(expected, DiscoveredMode(endpoint, transport));
    }

    [Fact]
    public void WithProtocolMode_UndefinedValue_ThrowsNamingTheChoices()
    {
        var builder = RestateEndpoint.CreateBuilder();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithProtocolMode((ProtocolMode)7));

        Assert.Contains("ProtocolMode.BidiStream or ProtocolMode.RequestResponse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutLoggerFactory_LeavesItToTheHost()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();
        var hosted = endpoint.WithDefaultLoggerFactory(NullLoggerFactory.Instance);

        Assert.False(endpoint.HasLoggerFactory);
        Assert.True(hosted.HasLoggerFactory);
        Assert.Same(endpoint.Services, hosted.Services);
    }

    [Fact]
    public void WithDefaultLoggerFactory_EndpointWithItsOwnFactory_KeepsItsOwn()
    {
        var endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).WithLoggerFactory(NullLoggerFactory.Instance).Build();

        Assert.Same(endpoint, endpoint.WithDefaultLoggerFactory(new NullLoggerFactory()));
    }

    private static string DiscoveredMode(RestateEndpoint endpoint, ProtocolMode transport)
    {
        var reply = Assert.IsType<EndpointResult.Reply>(endpoint.Handle(Request("GET", "/discover", ManifestV4, transport)));
        Assert.Equal(200, reply.Status);
        return JsonNode.Parse(reply.Body.Span)!["protocolMode"]!.GetValue<string>();
    }

    private static EndpointRequest Request(string method, string path, string? contentTypeOrAccept = null,
        ProtocolMode mode = ProtocolMode.BidiStream) =>
        new(method, path, name => name is "content-type" or "accept" ? contentTypeOrAccept : null, mode);
}
