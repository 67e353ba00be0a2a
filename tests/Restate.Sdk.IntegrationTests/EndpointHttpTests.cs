using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>The endpoint's HTTP surface as the runtime sees it, without a runtime: discovery, routing, negotiation, bad input.</summary>
public sealed class EndpointHttpTests : IAsyncLifetime, IDisposable
{
    private const string V6 = "application/vnd.restate.invocation.v6";
    private const string AllManifestVersions =
        "application/vnd.restate.endpointmanifest.v1+json, application/vnd.restate.endpointmanifest.v2+json, " +
        "application/vnd.restate.endpointmanifest.v3+json, application/vnd.restate.endpointmanifest.v4+json";

    private readonly string _logPath = Path.GetTempFileName();
    private readonly HttpClient _http2 = new() { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    private readonly HttpClient _http1 = new();
    private TestServicesHost _host = null!;
    private TestServicesHost _signedHost = null!;
    private TestServicesHost _prefixedSignedHost = null!;

    public async Task InitializeAsync()
    {
        _host = await TestServicesHost.StartAsync(new SideEffectLog(_logPath));
        _signedHost = await TestServicesHost.StartAsync(new SideEffectLog(_logPath), identityKeys: [ServerConfiguration.SigningPublicKey]);
        _prefixedSignedHost = await TestServicesHost.StartAsync(new SideEffectLog(_logPath), identityKeys: [ServerConfiguration.SigningPublicKey],
            prefix: "/restate");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _signedHost.DisposeAsync();
        await _prefixedSignedHost.DisposeAsync();
        File.Delete(_logPath);
    }

    public void Dispose()
    {
        _http1.Dispose();
        _http2.Dispose();
    }

    [Fact]
    public async Task Discover_OverHttp2_AnnouncesBidiStreamWithTheHighestAcceptedManifestVersion()
    {
        using var response = await DiscoverAsync(_http2, _host.Http2Uri, AllManifestVersions);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.restate.endpointmanifest.v4+json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("BIDI_STREAM", manifest["protocolMode"]!.GetValue<string>());
        Assert.Equal(5, manifest["minProtocolVersion"]!.GetValue<int>());
        Assert.Equal(7, manifest["maxProtocolVersion"]!.GetValue<int>());
        var signup = manifest["services"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Signup")!;
        Assert.Equal("WORKFLOW", signup["ty"]!.GetValue<string>());
        Assert.Equal("WORKFLOW", signup["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "run")!["ty"]!.GetValue<string>());
        var counterGet = manifest["services"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Counter")!["handlers"]!
            .AsArray().Single(h => h!["name"]!.GetValue<string>() == "get")!;
        Assert.Equal("SHARED", counterGet["ty"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discover_OverHttp1_AnnouncesRequestResponse()
    {
        using var response = await DiscoverAsync(_http1, _host.Http1Uri, AllManifestVersions);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("REQUEST_RESPONSE", manifest["protocolMode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discover_OnlyUnsupportedManifestVersions_Answers415NamingTheSupportedOnes()
    {
        using var response = await DiscoverAsync(_http1, _host.Http1Uri, "application/vnd.restate.endpointmanifest.v1+json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("endpointmanifest.v2+json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoke/NoSuchService/run", "Service 'NoSuchService' is not bound")]
    [InlineData("invoke/Counter/noSuchHandler", "Service 'Counter' has no handler 'noSuchHandler'")]
    [InlineData("elsewhere", "No Restate route")]
    public async Task Invoke_UnknownTarget_Answers404WithTheReason(string path, string reason)
    {
        using var response = await PostFramesAsync(_http1, new Uri(_host.Http1Uri, path), V6, []);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.restate.invocation.v4")]
    [InlineData("application/vnd.restate.invocation.v7")]
    [InlineData("application/json")]
    public async Task Invoke_UnsupportedProtocolVersion_Answers415(string contentType)
    {
        using var response = await PostFramesAsync(_http1, new Uri(_host.Http1Uri, "invoke/Greeter/greet"), contentType, []);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_SupportedVersion_EchoesTheContentTypeExactly()
    {
        using var response = await PostFramesAsync(_http1, new Uri(_host.Http1Uri, "invoke/Greeter/greet"), "application/vnd.restate.invocation.v5", []);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.restate.invocation.v5", string.Join(",", response.Content.Headers.GetValues("content-type")));
    }

    [Theory]
    [InlineData(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 1, 42 })]
    [InlineData(new byte[] { 0x00, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xFF, 0xFF })]
    public async Task Invoke_GarbageOrTruncatedFrames_AnswersProtocolViolationAndKeepsServing(byte[] body)
    {
        using var response = await PostFramesAsync(_http1, new Uri(_host.Http1Uri, "invoke/Greeter/greet"), V6, body);
        var frames = await response.Content.ReadAsByteArrayAsync();
        using var discover = await DiscoverAsync(_http1, _host.Http1Uri, AllManifestVersions);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0x0002, BinaryPrimitives.ReadUInt16BigEndian(frames));
        Assert.Equal(571u, ReadErrorCode(frames.AsSpan(8)));
        Assert.Equal(HttpStatusCode.OK, discover.StatusCode);
    }

    [Fact]
    public async Task SignedEndpoint_RequestWithoutSignature_Answers401NamingTheMissingScheme()
    {
        using var response = await DiscoverAsync(_http1, _signedHost.Http1Uri, AllManifestVersions);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Request identity check failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "health")]
    [InlineData(true, "health")]
    [InlineData(false, "restate/health")]
    [InlineData(true, "restate/health")]
    public async Task Health_SignedEndpointWithoutSignature_Answers200(bool http2, string path)
    {
        var host = path.StartsWith("restate/", StringComparison.Ordinal) ? _prefixedSignedHost : _signedHost;
        var client = http2 ? _http2 : _http1;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http2 ? host.Http2Uri : host.Http1Uri, path))
        {
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Discover_UnderPrefixWithoutSignature_StillAnswers401()
    {
        using var response = await DiscoverAsync(_http1, new Uri(_prefixedSignedHost.Http1Uri, "restate/"), AllManifestVersions);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> DiscoverAsync(HttpClient client, Uri baseUri, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "discover"))
        {
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        request.Headers.TryAddWithoutValidation("accept", accept);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostFramesAsync(HttpClient client, Uri uri, string contentType, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.SendAsync(request);
    }

    // ErrorMessage field 1 (code) is the first field: tag 0x08 then a varint.
    private static uint ReadErrorCode(ReadOnlySpan<byte> payload)
    {
        Assert.Equal(0x08, payload[0]);
        uint value = 0;
        for (int i = 1, shift = 0; ; i++, shift += 7)
        {
            value |= (uint)(payload[i] & 0x7F) << shift;
            if ((payload[i] & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
