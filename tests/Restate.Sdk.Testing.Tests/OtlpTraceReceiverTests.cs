using System.Diagnostics;
using System.Net;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Restate.Sdk.Testing.Otlp;

namespace Restate.Sdk.Testing.Tests;

public sealed class OtlpTraceReceiverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SpanDeadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Export_OpenTelemetryDotnetExporter_SpansDecodedWithParentsAttributesAndResource(OtlpExportProtocol protocol)
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        using var source = new ActivitySource($"receiver-test-{Guid.NewGuid():N}");
        string traceId, parentId, childId;
        using (var provider = CreateProvider(source.Name, receiver, protocol))
        {
            using (var parent = source.StartActivity("parent", ActivityKind.Server)!)
            {
                parent.SetTag("text", "hello").SetTag("flag", true).SetTag("count", 42L).SetTag("ratio", 0.5);
                using var child = source.StartActivity("child", ActivityKind.Client)!;
                child.SetStatus(ActivityStatusCode.Error);
                (traceId, parentId, childId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString(), child.SpanId.ToHexString());
            }

            Assert.True(provider.ForceFlush(30_000));
        }

        var spans = await receiver.WaitForSpansAsync(received => received.Count >= 2, SpanDeadline);
        var parentSpan = Assert.Single(spans, span => span.Name == "parent");
        var childSpan = Assert.Single(spans, span => span.Name == "child");
        Assert.Equal(traceId, parentSpan.TraceId);
        Assert.Equal(parentId, parentSpan.SpanId);
        Assert.Null(parentSpan.ParentSpanId);
        Assert.Equal(ActivityKind.Server, parentSpan.Kind);
        Assert.False(parentSpan.IsError);
        Assert.Equal("hello", parentSpan.StringAttribute("text"));
        Assert.Equal(true, parentSpan.Attributes["flag"]);
        Assert.Equal(42L, parentSpan.Attributes["count"]);
        Assert.Equal(0.5, parentSpan.Attributes["ratio"]);
        Assert.Equal("receiver-test-service", parentSpan.ServiceName);
        Assert.Equal(source.Name, parentSpan.ScopeName);
        Assert.True(parentSpan.End >= parentSpan.Start);
        Assert.True(parentSpan.Start > DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal(traceId, childSpan.TraceId);
        Assert.Equal(childId, childSpan.SpanId);
        Assert.Equal(parentId, childSpan.ParentSpanId);
        Assert.Equal(ActivityKind.Client, childSpan.Kind);
        Assert.True(childSpan.IsError);
        var expectedTransport = protocol == OtlpExportProtocol.Grpc ? OtlpTransport.Grpc : OtlpTransport.HttpProtobuf;
        Assert.All(spans, span => Assert.Equal(expectedTransport, span.Transport));
    }

    [Fact]
    public async Task WaitForSpanAsync_NothingArrives_TimesOutNamingWhatArrived()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => receiver.WaitForSpanAsync(span => span.Name == "never", TimeSpan.FromMilliseconds(200)));

        Assert.Contains("Received 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JsonBodyOrUnknownPath_IsRejected()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        using var client = new HttpClient { BaseAddress = receiver.HttpEndpoint };

        using var json = await client.PostAsync(
            OtlpTraceReceiver.HttpTracesPath, new StringContent("{}", Encoding.UTF8, "application/json"));
        using var unknown = await client.PostAsync("/v1/metrics", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(receiver.Spans);
    }

    /// <summary>
    /// restate-server 1.7 exports its traces with OTLP/gRPC (tonic) to <c>RESTATE_TRACING_ENDPOINT</c>, under the
    /// service name "Restate". A call that carries a traceparent is traced in the caller's trace:
    /// <c>ingress T</c> → <c>invocation-start T</c> → one <c>invocation-attempt T</c> per attempt.
    /// </summary>
    [Fact]
    public async Task RestateServer_TracingEndpoint_ExportsServerSpansOverGrpcInTheCallersTrace()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        using var endpoint = new ManifestEndpoint();
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output, new Dictionary<string, string>
        {
            ["RESTATE_TRACING_ENDPOINT"] = receiver.Endpoint.ToString(),
        }));
        await server.RegisterDeploymentAsync(endpoint.Uri, useHttp11: true);

        // The endpoint only serves discovery, so the invocation's attempts fail and are retried: still traced.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Greeter/greet/send")
        {
            Content = new StringContent("\"world\"", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        using var response = await server.Ingress.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");

        var spans = await receiver.WaitForSpansAsync(
            received => received.Any(span => span.TraceId == traceId && span.Name == "ingress Greeter/greet")
                && received.Any(span => span.TraceId == traceId && span.Name == "invocation-attempt Greeter/greet"),
            SpanDeadline);
        var ours = spans.Where(span => span.TraceId == traceId).ToList();
        foreach (var span in ours)
        {
            output.WriteLine($"{span} scope={span.ScopeName} attributes: " +
                string.Join(", ", span.Attributes.Select(attribute => $"{attribute.Key}={attribute.Value}")));
        }

        Assert.All(ours, span => Assert.Equal(OtlpTransport.Grpc, span.Transport));
        Assert.All(ours, span => Assert.Equal("Restate", span.ServiceName));
        var ingress = Assert.Single(ours, span => span.Name == "ingress Greeter/greet");
        Assert.Equal(callerSpanId, ingress.ParentSpanId);
        var start = Assert.Single(ours, span => span.Name == "invocation-start Greeter/greet");
        Assert.Equal(ingress.SpanId, start.ParentSpanId);
        Assert.All(ours.Where(span => span.Name == "invocation-attempt Greeter/greet"), attempt =>
        {
            Assert.Equal(start.SpanId, attempt.ParentSpanId);
            Assert.Equal("Greeter/greet", attempt.StringAttribute("restate.invocation.target"));
            Assert.StartsWith("inv_", attempt.StringAttribute("restate.invocation.id"), StringComparison.Ordinal);
        });
    }

    private static TracerProvider CreateProvider(string sourceName, OtlpTraceReceiver receiver, OtlpExportProtocol protocol) =>
        OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("receiver-test-service"))
            .AddOtlpExporter(options =>
            {
                options.Protocol = protocol;
                // Set in code, the HTTP endpoint is used as is: it must name the signal's path.
                options.Endpoint = protocol == OtlpExportProtocol.Grpc
                    ? receiver.Endpoint
                    : new Uri(receiver.HttpEndpoint, OtlpTraceReceiver.HttpTracesPath);
                options.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
}
