using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda;

/// <summary>
/// Serves a <see cref="RestateEndpoint"/> to restate-server's Lambda invocations: turns an API-Gateway-proxy event into
/// an endpoint request, feeds the invocation its whole (base64, possibly zstd) body, and returns everything it wrote.
/// All protocol logic stays in the endpoint; this type only moves bytes.
/// </summary>
/// <remarks>
/// <c>GET /health</c> (also under a prefix) answers 200 without request-identity verification, for load balancers.
/// Lambda is always request/response: the journal arrives complete, and every await that cannot be satisfied from it
/// suspends the invocation. Discovery advertises <c>"lambdaCompression":"zstd"</c>, so the server compresses large
/// request bodies and accepts compressed responses; responses of <see cref="CompressionThreshold"/> bytes or more are
/// compressed when the request's <c>accept-encoding</c> allows zstd.
/// </remarks>
public sealed class RestateLambdaHandler
{
    /// <summary>Responses at least this large (3 MiB) are zstd-compressed when the server accepts it; Lambda's limit is 6 MB.</summary>
    public const int CompressionThreshold = 3 * 1024 * 1024;

    private const string Zstd = "zstd";

    /// <summary>One console logger factory per process, created on first use.</summary>
    private static readonly Lazy<LambdaConsoleLoggerFactory> DefaultLoggerFactory = new(LambdaConsoleLoggerFactory.FromEnvironment);

    private readonly RestateEndpoint _endpoint;

    /// <summary>Creates a handler for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">
    /// The services to serve. Built without <see cref="RestateEndpointBuilder.WithLoggerFactory"/>, it logs
    /// (<see cref="Context.Logger"/>, the SDK's retry warnings) to stdout, one line per entry, which Lambda sends to
    /// CloudWatch Logs; the minimum level is <c>AWS_LAMBDA_LOG_LEVEL</c>, <c>INFO</c> when unset.
    /// </param>
    public RestateLambdaHandler(RestateEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint.WithDefaultLoggerFactory(DefaultLoggerFactory.Value);
    }

    /// <summary>Handles one event: discovery, or one invocation attempt.</summary>
    /// <param name="request">The event restate-server sent.</param>
    /// <param name="cancellationToken">
    /// Fires shortly before the Lambda deadline: the attempt is then aborted and its output so far returned, with an
    /// error frame, so that the server keeps what was journaled and retries.
    /// </param>
    /// <returns>The response restate-server reads: status, content type and base64 body.</returns>
    public async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }
        byte[] input;
        try
        {
            input = DecodeBody(request, headers.GetValueOrDefault("content-encoding"));
        }
        catch (NotSupportedException e)
        {
            return Text(415, e.Message);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            return Text(400, $"The request body cannot be decoded: {e.Message}");
        }

        var endpointRequest = new EndpointRequest(request.HttpMethod ?? "POST", request.Path ?? "/", headers.GetValueOrDefault,
            ProtocolMode.RequestResponse)
        {
            LambdaCompression = true,
            AllHeaders = () => headers,
        };
        var response = new BufferedResponse();
        // The token fires shortly before the deadline: the endpoint then aborts the attempt and still hands back its
        // output so far, with an error frame, so that the server keeps what was journaled and retries.
        await _endpoint.HandleAsync(endpointRequest, PipeReader.Create(new ReadOnlySequence<byte>(input)), response, cancellationToken);

        if (response.Written.Length >= CompressionThreshold && AcceptsZstd(headers.GetValueOrDefault("accept-encoding")))
        {
            return Respond(response.StatusCode, response.ContentType, ZstdCodec.Compress(response.Written), Zstd);
        }
        return Respond(response.StatusCode, response.ContentType, response.Written);
    }

    private static byte[] DecodeBody(ApiGatewayProxyRequest request, string? contentEncoding)
    {
        var body = string.IsNullOrEmpty(request.Body)
            ? []
            : request.IsBase64Encoded ? Convert.FromBase64String(request.Body) : Encoding.UTF8.GetBytes(request.Body);
        var encoding = contentEncoding?.Trim();
        if (string.IsNullOrEmpty(encoding) || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }
        if (encoding.Equals(Zstd, StringComparison.OrdinalIgnoreCase))
        {
            return body.Length == 0 ? body : ZstdCodec.Decompress(body);
        }
        throw new NotSupportedException($"Unsupported content-encoding '{encoding}': this endpoint accepts zstd or none.");
    }

    /// <summary>Whether an <c>accept-encoding</c> value lists zstd with a non-zero quality.</summary>
    internal static bool AcceptsZstd(string? acceptEncoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }
        foreach (var entry in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            if (!parts[0].Equals(Zstd, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var quality = 1.0;
            foreach (var parameter in parts.AsSpan(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(parameter.AsSpan(2), NumberStyles.Float, CultureInfo.InvariantCulture, out quality))
                {
                    quality = 0;
                }
            }
            return quality > 0;
        }
        return false;
    }

    private static ApiGatewayProxyResponse Text(int status, string message) =>
        Respond(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message));

    private static ApiGatewayProxyResponse Respond(int status, string contentType, ReadOnlySpan<byte> body, string? contentEncoding = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = contentType,
            ["x-restate-server"] = RestateEndpoint.ServerHeaderValue,
        };
        if (contentEncoding is not null)
        {
            headers["content-encoding"] = contentEncoding;
        }
        return new ApiGatewayProxyResponse
        {
            StatusCode = status,
            Headers = headers,
            Body = Convert.ToBase64String(body),
            IsBase64Encoded = true,
        };
    }
}
