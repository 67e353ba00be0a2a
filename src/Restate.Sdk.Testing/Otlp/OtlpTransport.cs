namespace Restate.Sdk.Testing.Otlp;

/// <summary>How an exporter delivered spans to <see cref="OtlpTraceReceiver"/>.</summary>
public enum OtlpTransport
{
    /// <summary>OTLP/gRPC: <c>TraceService/Export</c> over HTTP/2 without TLS (h2c).</summary>
    Grpc,

    /// <summary>OTLP/HTTP with a binary protobuf body: <c>POST /v1/traces</c>.</summary>
    HttpProtobuf,
}
