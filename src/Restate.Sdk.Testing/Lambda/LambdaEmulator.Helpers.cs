using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Restate.Sdk.Testing.Lambda;

// Bodies, error JSON and trace ids shared by both APIs.
public sealed partial class LambdaEmulator
{
    private void Emit(string line) => ManagedProcess.WriteLog(_options.Log, line);

    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var stream = request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            int read;
            try
            {
                read = await stream.ReadAsync(memory, ct).ConfigureAwait(false);
            }
            catch (IOException)
            {
                break; // the caller went away; whatever arrived is all there is
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return ([], true);
            }
        }

        return (buffer.WrittenSpan.ToArray(), false);
    }

    /// <summary>The error JSON as the runtime posted it if it is a JSON object; otherwise a Lambda-style one.</summary>
    private static byte[] NormalizeError(byte[] body, string errorType)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }

        return ErrorJson(errorType, Encoding.UTF8.GetString(body));
    }

    private static byte[] ErrorJson(string errorType, string errorMessage) =>
        JsonObjectBody.Write(writer =>
        {
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
        });

    /// <summary>An AWS API error: <c>x-amzn-ErrorType</c> plus <c>{"Type":"User","message":…}</c>.</summary>
    private static Task WriteApiErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        return WriteJsonAsync(context, status, JsonObjectBody.Write(writer =>
        {
            writer.WriteString("Type", "User");
            writer.WriteString("message", message);
        }));
    }

    private static Task WriteRuntimeErrorAsync(HttpContext context, int status, string errorType, string message) =>
        WriteJsonAsync(context, status, ErrorJson(errorType, message));

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An X-Ray trace header: <c>Root=1-&lt;epoch hex&gt;-&lt;96 random bits&gt;;Parent=…;Sampled=0</c>.</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture,
            $"Root=1-{epoch:x8}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))};" +
            $"Parent={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))};Sampled=0");
    }
}
