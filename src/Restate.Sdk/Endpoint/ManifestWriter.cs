using System.Buffers;

using System.Text.Json;
using Restate.Sdk.Definitions;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Endpoint;

/// <summary>
/// Writes the discovery manifest (<c>application/vnd.restate.endpointmanifest.vN+json</c>). The server rejects
/// unknown fields, so only schema fields are written, and each only when set.
/// </summary>
internal static class ManifestWriter
{
    public const int MinVersion = 2;
    public const int MaxVersion = 4;

    /// <summary>The first manifest version with the <c>lambdaCompression</c> field.</summary>
    public const int LambdaCompressionVersion = 4;

    public static string ContentType(int version) => $"application/vnd.restate.endpointmanifest.v{version}+json";

    /// <summary>The highest manifest version the <c>Accept</c> header allows (null when none of ours).</summary>
    public static int? Negotiate(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return null;
        }
        int? best = null;
        foreach (var part in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var mediaType = part.Split(';', 2)[0].Trim();
            for (var version = MinVersion; version <= MaxVersion; version++)
            {
                if (string.Equals(mediaType, ContentType(version), StringComparison.OrdinalIgnoreCase) && (best is null || version > best))
                {
                    best = version;
                }
            }
        }
        return best;
    }

    /// <summary>The lowest manifest version that has every field these services use.</summary>
    public static int RequiredVersion(IEnumerable<ServiceDefinition> services)
    {
        var required = MinVersion;
        foreach (var service in services)
        {
            required = Math.Max(required, RequiredVersion(service.Options));
            foreach (var handler in service.Handlers)
            {
                required = Math.Max(required, RequiredVersion(handler.Options));
            }
        }
        return required;
    }

    /// <summary>Writes the manifest.</summary>
    /// <param name="services">The bound services.</param>
    /// <param name="mode">The protocol mode the transport offers.</param>
    /// <param name="lambdaCompression">
    /// Advertise <c>"lambdaCompression":"zstd"</c> (Lambda transport only, manifest v4 and later): the server then
    /// sends <c>accept-encoding: zstd</c>, compresses large request bodies and accepts compressed responses.
    /// </param>
    public static byte[] Write(IEnumerable<ServiceDefinition> services, ProtocolMode mode, bool lambdaCompression = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("protocolMode", mode == ProtocolMode.BidiStream ? "BIDI_STREAM" : "REQUEST_RESPONSE");
            if (lambdaCompression)
            {
                json.WriteString("lambdaCompression", "zstd");
            }
            json.WriteNumber("minProtocolVersion", ProtocolVersion.Min);
            json.WriteNumber("maxProtocolVersion", ProtocolVersion.Max);
            json.WriteStartArray("services");
            foreach (var service in services)
            {
                WriteService(json, service);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteService(Utf8JsonWriter json, ServiceDefinition service)
    {
        json.WriteStartObject();
        json.WriteString("name", service.Name);
        json.WriteString("ty", service.Kind switch
        {
            ServiceKind.VirtualObject => "VIRTUAL_OBJECT",
            ServiceKind.Workflow => "WORKFLOW",
            _ => "SERVICE",
        });
        WriteOptions(json, service.Options);
        json.WriteStartArray("handlers");
        foreach (var handler in service.Handlers)
        {
            json.WriteStartObject();
            json.WriteString("name", handler.Name);
            if (service.Kind != ServiceKind.Service)
            {
                // A workflow's run handler must say WORKFLOW explicitly: without "ty" the server registers it as shared.
                json.WriteString("ty", handler.Kind switch
                {
                    HandlerKind.Shared => "SHARED",
                    HandlerKind.Workflow => "WORKFLOW",
                    _ => "EXCLUSIVE",
                });
            }
            json.WriteStartObject("input");
            if (handler.InputContentType is { } inputType)
            {
                json.WriteBoolean("required", false);
                json.WriteString("contentType", inputType);
                WriteJsonSchema(json, handler.InputJsonSchema);
            }
            json.WriteEndObject();
            json.WriteStartObject("output");
            if (handler.OutputContentType is { } outputType)
            {
                json.WriteString("contentType", outputType);
            }
            json.WriteBoolean("setContentTypeIfEmpty", false);
            if (handler.OutputContentType is not null)
            {
                WriteJsonSchema(json, handler.OutputJsonSchema);
            }
            json.WriteEndObject();
            WriteOptions(json, handler.Options);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter json, HandlerOptions? options)
    {
        if (options is null)
        {
            return;
        }
        if (options.Documentation is { } documentation)
        {
            json.WriteString("documentation", documentation);
        }
        if (options.Metadata is { } metadata)
        {
            json.WriteStartObject("metadata");
            foreach (var (key, value) in metadata)
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        WriteMilliseconds(json, "inactivityTimeout", options.InactivityTimeout);
        WriteMilliseconds(json, "abortTimeout", options.AbortTimeout);
        WriteMilliseconds(json, "journalRetention", options.JournalRetention);
        WriteMilliseconds(json, "idempotencyRetention", options.IdempotencyRetention);
        WriteMilliseconds(json, "workflowCompletionRetention", options.WorkflowCompletionRetention);
        if (options.EnableLazyState is { } lazy)
        {
            json.WriteBoolean("enableLazyState", lazy);
        }
        if (options.IngressPrivate is { } ingressPrivate)
        {
            json.WriteBoolean("ingressPrivate", ingressPrivate);
        }
        WriteMilliseconds(json, "retryPolicyInitialInterval", options.RetryInitialInterval);
        WriteMilliseconds(json, "retryPolicyMaxInterval", options.RetryMaxInterval);
        if (options.RetryMaxAttempts is { } attempts)
        {
            json.WriteNumber("retryPolicyMaxAttempts", attempts);
        }
        if (options.RetryExponentiationFactor is { } factor)
        {
            json.WriteNumber("retryPolicyExponentiationFactor", factor);
        }
        if (options.RetryOnMaxAttempts is { } onMax)
        {
            json.WriteString("retryPolicyOnMaxAttempts", onMax == OnMaxAttempts.Kill ? "KILL" : "PAUSE");
        }
    }

    private static void WriteJsonSchema(Utf8JsonWriter json, string? schema)
    {
        if (schema is not null)
        {
            json.WritePropertyName("jsonSchema");
            json.WriteRawValue(schema);
        }
    }

    private static void WriteMilliseconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            json.WriteNumber(name, (long)duration.TotalMilliseconds);
        }
    }

    private static int RequiredVersion(HandlerOptions? options)
    {
        if (options is null)
        {
            return MinVersion;
        }
        if (options.RetryInitialInterval is not null || options.RetryMaxInterval is not null || options.RetryMaxAttempts is not null
            || options.RetryExponentiationFactor is not null || options.RetryOnMaxAttempts is not null)
        {
            return 4;
        }
        if (options.InactivityTimeout is not null || options.AbortTimeout is not null || options.JournalRetention is not null
            || options.IdempotencyRetention is not null || options.WorkflowCompletionRetention is not null
            || options.EnableLazyState is not null || options.IngressPrivate is not null)
        {
            return 3;
        }
        return MinVersion;
    }

}
