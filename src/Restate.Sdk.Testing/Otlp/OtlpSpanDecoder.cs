using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Restate.Sdk.Testing.Otlp.Wire;

namespace Restate.Sdk.Testing.Otlp;

/// <summary>Turns OTLP export requests into <see cref="ReceivedSpan"/>s.</summary>
internal static class OtlpSpanDecoder
{
    public static List<ReceivedSpan> Decode(ExportTraceServiceRequest request, OtlpTransport transport)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = ToDictionary(resourceSpans.Resource?.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(new ReceivedSpan
                    {
                        TraceId = Convert.ToHexStringLower(span.TraceId.Span),
                        SpanId = Convert.ToHexStringLower(span.SpanId.Span),
                        ParentSpanId = IsEmptyId(span.ParentSpanId) ? null : Convert.ToHexStringLower(span.ParentSpanId.Span),
                        Name = span.Name,
                        Kind = ToActivityKind(span.Kind),
                        Attributes = ToDictionary(span.Attributes),
                        ResourceAttributes = resource,
                        ScopeName = scope,
                        IsError = span.Status?.Code == StatusCode.Error,
                        Start = FromUnixNanoseconds(span.StartTimeUnixNano),
                        End = FromUnixNanoseconds(span.EndTimeUnixNano),
                        Transport = transport,
                    });
                }
            }
        }

        return spans;
    }

    /// <summary>
    /// The protobuf messages of a gRPC request body: each is a 1-byte compressed flag, a 4-byte big-endian length and
    /// the message.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> SplitGrpcMessages(ReadOnlyMemory<byte> body, out bool anyCompressed)
    {
        var messages = new List<ReadOnlyMemory<byte>>();
        anyCompressed = false;
        while (!body.IsEmpty)
        {
            if (body.Length < 5)
            {
                throw new InvalidDataException("truncated gRPC message prefix");
            }

            anyCompressed |= body.Span[0] != 0;
            var length = BinaryPrimitives.ReadUInt32BigEndian(body.Span[1..5]);
            if (length > body.Length - 5)
            {
                throw new InvalidDataException($"gRPC message of {length} bytes but only {body.Length - 5} follow");
            }

            messages.Add(body.Slice(5, (int)length));
            body = body[(5 + (int)length)..];
        }

        return messages;
    }

    private static bool IsEmptyId(ByteString id)
    {
        foreach (var b in id.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static ActivityKind ToActivityKind(SpanKind kind) => kind switch
    {
        SpanKind.Server => ActivityKind.Server,
        SpanKind.Client => ActivityKind.Client,
        SpanKind.Producer => ActivityKind.Producer,
        SpanKind.Consumer => ActivityKind.Consumer,
        _ => ActivityKind.Internal,
    };

    private static DateTimeOffset FromUnixNanoseconds(ulong nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(nanoseconds / 100));

    private static Dictionary<string, object?> ToDictionary(RepeatedField<KeyValue>? attributes)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var attribute in attributes ?? [])
        {
            result[attribute.Key] = ToObject(attribute.Value);
        }

        return result;
    }

    private static object? ToObject(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(ToObject).ToArray(),
        _ => null,
    };
}
