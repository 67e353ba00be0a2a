using System.Text;
using System.Text.Json;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Protocol;
using ZstdSharp;

namespace Restate.Sdk.Lambda.Tests;

/// <summary>The Restate adapter against a real <see cref="RestateEndpoint"/>, with events shaped as restate-server sends them.</summary>
public sealed class RestateLambdaHandlerTests
{
    private const string AllManifestVersions =
        "application/vnd.restate.endpointmanifest.v1+json, application/vnd.restate.endpointmanifest.v2+json, " +
        "application/vnd.restate.endpointmanifest.v3+json, application/vnd.restate.endpointmanifest.v4+json";

    private readonly RestateLambdaHandler _handler = new(TestEndpoints.Echo());

    [Fact]
    public async Task Discover_V4_AdvertisesRequestResponseAndZstd()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Discover(AllManifestVersions));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/vnd.restate.endpointmanifest.v4+json", TestEndpoints.Header(response, "content-type"));
        Assert.Equal(RestateEndpoint.ServerHeaderValue, TestEndpoints.Header(response, "x-restate-server"));
        using var manifest = JsonDocument.Parse(TestEndpoints.Body(response));
        Assert.Equal("REQUEST_RESPONSE", manifest.RootElement.GetProperty("protocolMode").GetString());
        Assert.Equal("zstd", manifest.RootElement.GetProperty("lambdaCompression").GetString());
        var service = Assert.Single(manifest.RootElement.GetProperty("services").EnumerateArray());
        Assert.Equal("Echo", service.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Discover_ServerAcceptsOnlyV3_OmitsLambdaCompression()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Discover(
            "application/vnd.restate.endpointmanifest.v2+json, application/vnd.restate.endpointmanifest.v3+json"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/vnd.restate.endpointmanifest.v3+json", TestEndpoints.Header(response, "content-type"));
        using var manifest = JsonDocument.Parse(TestEndpoints.Body(response));
        Assert.Equal("REQUEST_RESPONSE", manifest.RootElement.GetProperty("protocolMode").GetString());
        Assert.False(manifest.RootElement.TryGetProperty("lambdaCompression", out _));
    }

    [Fact]
    public async Task Invoke_Echo_ReturnsOutputAndEndWithTheNegotiatedContentType()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation("\"hello\"")));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(TestFrames.InvocationContentType, TestEndpoints.Header(response, "content-type"));
        Assert.Equal(RestateEndpoint.ServerHeaderValue, TestEndpoints.Header(response, "x-restate-server"));
        Assert.False(response.Headers!.ContainsKey("content-encoding"));
        Assert.Equal("\"hello\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
    }

    [Fact]
    public async Task Invoke_V5ContentTypeAndMixedCaseHeaders_EchoesV5()
    {
        const string v5 = "application/vnd.restate.invocation.v5";
        var request = new ApiGatewayProxyRequest
        {
            Path = "/invoke/Echo/echo",
            HttpMethod = "POST",
            Headers = new Dictionary<string, string> { ["Content-Type"] = v5, ["Accept"] = v5 },
            Body = Convert.ToBase64String(TestFrames.Invocation("\"v5\"")),
            IsBase64Encoded = true,
        };

        var response = await _handler.HandleAsync(request);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(v5, TestEndpoints.Header(response, "content-type"));
        Assert.Equal("\"v5\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
    }

    public static TheoryData<string> ZstdEncoders => ["one-shot", "streaming"];

    [Theory]
    [MemberData(nameof(ZstdEncoders))]
    public async Task Invoke_ZstdRequestBody_IsDecompressed(string encoder)
    {
        var journal = TestFrames.Invocation($"\"{TestEndpoints.Letters(100_000)}\"");
        var compressed = encoder == "one-shot" ? CompressOneShot(journal) : CompressStreaming(journal);
        Assert.True(compressed.Length < journal.Length);

        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", compressed, ("content-encoding", "zstd")));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal($"\"{TestEndpoints.Letters(100_000)}\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
    }

    [Fact]
    public async Task Invoke_LargeOutputAndZstdAccepted_ResponseIsCompressed()
    {
        var text = TestEndpoints.Letters(RestateLambdaHandler.CompressionThreshold + 1024);

        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation($"\"{text}\""), ("accept-encoding", "zstd")));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("zstd", TestEndpoints.Header(response, "content-encoding"));
        Assert.Equal(TestFrames.InvocationContentType, TestEndpoints.Header(response, "content-type"));
        var compressed = TestEndpoints.Body(response);
        var output = Decompress(compressed);
        Assert.True(compressed.Length < output.Length * 0.7, $"{compressed.Length} compressed bytes for {output.Length}");
        Assert.Equal($"\"{text}\"", TestFrames.OutputValue(output));
    }

    [Fact]
    public async Task Invoke_LargeOutputWithoutAcceptEncoding_ResponseIsPlain()
    {
        var text = TestEndpoints.Letters(RestateLambdaHandler.CompressionThreshold + 1024);

        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation($"\"{text}\"")));

        Assert.False(response.Headers!.ContainsKey("content-encoding"));
        Assert.Equal($"\"{text}\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
    }

    [Fact]
    public async Task Invoke_SmallOutputAndZstdAccepted_ResponseIsPlain()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation("\"small\""), ("accept-encoding", "gzip, zstd")));

        Assert.False(response.Headers!.ContainsKey("content-encoding"));
        Assert.Equal("\"small\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
    }

    [Theory]
    [InlineData("/invoke/Echo/nope", "no handler 'nope'")]
    [InlineData("/invoke/Nope/echo", "'Nope' is not bound")]
    [InlineData("/elsewhere", "No Restate route")]
    public async Task Invoke_UnknownTarget_Returns404(string path, string message)
    {
        var request = TestEndpoints.Invoke("echo", TestFrames.Invocation("\"x\""));
        var response = await _handler.HandleAsync(new ApiGatewayProxyRequest
        {
            Path = path,
            HttpMethod = request.HttpMethod,
            Headers = request.Headers,
            Body = request.Body,
            IsBase64Encoded = true,
        });

        Assert.Equal(404, response.StatusCode);
        Assert.Contains(message, Encoding.UTF8.GetString(TestEndpoints.Body(response)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/vnd.restate.invocation.v99")]
    public async Task Invoke_BadContentType_Returns415(string contentType)
    {
        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation("\"x\""), ("content-type", contentType)));

        Assert.Equal(415, response.StatusCode);
        Assert.StartsWith("text/plain", TestEndpoints.Header(response, "content-type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnsupportedContentEncoding_Returns415()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", TestFrames.Invocation("\"x\""), ("content-encoding", "gzip")));

        Assert.Equal(415, response.StatusCode);
        Assert.Contains("gzip", Encoding.UTF8.GetString(TestEndpoints.Body(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_CorruptZstdBody_Returns400()
    {
        var response = await _handler.HandleAsync(TestEndpoints.Invoke("echo", [1, 2, 3, 4, 5, 6, 7, 8], ("content-encoding", "zstd")));

        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_BodyNotBase64_Returns400()
    {
        var request = TestEndpoints.Invoke("echo", []);
        var response = await _handler.HandleAsync(new ApiGatewayProxyRequest
        {
            Path = request.Path,
            HttpMethod = request.HttpMethod,
            Headers = request.Headers,
            Body = "not base64 at all!",
            IsBase64Encoded = true,
        });

        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task Invoke_TokenFiresNearDeadline_AbortsTheAttemptWithAnErrorFrame()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var response = await _handler.HandleAsync(TestEndpoints.Invoke("stuck", TestFrames.Invocation("\"x\"")), deadline.Token)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, response.StatusCode);
        var frames = TestFrames.Decode(TestEndpoints.Body(response));
        var error = Assert.Single(frames, f => f.Type == MessageType.Error);
        Assert.Contains("deadline", ErrorMessage.Parser.ParseFrom(error.Payload).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Type == MessageType.End);
    }

    [Fact]
    public async Task Handle_IdentityKeysConfiguredAndUnsignedRequest_Returns401()
    {
        var endpoint = RestateEndpoint.CreateBuilder()
            .Bind(TestEndpoints.Echo().Services[0])
            .WithIdentityKeys("publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp")
            .Build();

        var response = await new RestateLambdaHandler(endpoint).HandleAsync(TestEndpoints.Discover(AllManifestVersions));

        Assert.Equal(401, response.StatusCode);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("gzip, br", false)]
    [InlineData("zstd", true)]
    [InlineData("gzip, ZSTD", true)]
    [InlineData("zstd;q=0.5", true)]
    [InlineData("zstd;q=0", false)]
    [InlineData("zstdx", false)]
    public void AcceptsZstd_ParsesAcceptEncoding(string? acceptEncoding, bool expected) =>
        Assert.Equal(expected, RestateLambdaHandler.AcceptsZstd(acceptEncoding));

    private static byte[] CompressOneShot(byte[] data)
    {
        using var compressor = new Compressor();
        return compressor.Wrap(data).ToArray();
    }

    /// <summary>Like a streaming encoder (restate-server's), which does not record the content size in the frame header.</summary>
    private static byte[] CompressStreaming(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output))
        {
            for (var offset = 0; offset < data.Length; offset += 4096)
            {
                zstd.Write(data, offset, Math.Min(4096, data.Length - offset));
            }
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] data)
    {
        using var decompressor = new Decompressor();
        return decompressor.Unwrap(data).ToArray();
    }
}
