using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Otlp;
using TourOfRestate.Services;
using TourOfRestate.Tracing;

namespace TourOfRestate.Tests;

/// <summary>
/// The tour with tracing on, as in its README's Jaeger walk-through: restate-server (<c>RESTATE_TRACING_ENDPOINT</c>)
/// and the services (<see cref="TourTracing.AddTourTracing"/>) export to an OTLP receiver in the test, where Jaeger
/// would listen.
/// </summary>
public sealed class TracedTourFixture : IAsyncLifetime
{
    public OtlpTraceReceiver Receiver { get; private set; } = null!;

    public RestateTestEnvironment Restate { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpTraceReceiver.StartAsync();
        Restate = await RestateTestEnvironment.StartWithServicesAsync(
            services => services.AddTour().AddTourTracing(Receiver.Endpoint),
            new RestateTestOptions
            {
                Server = new RestateServerOptions
                {
                    Environment = new Dictionary<string, string> { ["RESTATE_TRACING_ENDPOINT"] = Receiver.Endpoint.ToString() },
                },
            });
    }

    public async Task DisposeAsync()
    {
        await Restate.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class TracingTests(TracedTourFixture fixture) : IClassFixture<TracedTourFixture>
{
    [Fact]
    public async Task Checkout_WithTracing_IsOneTraceFromTheIngressThroughBothServicesToThePayment()
    {
        var (user, seat) = ($"mary-{Guid.NewGuid():N}", $"seat-{Guid.NewGuid():N}");
        var cart = fixture.Restate.Client.ObjectClient<CartObjectIngressClient>(user);
        Assert.True(await cart.AddTicketAsync(seat));

        Assert.True(await cart.CheckoutAsync());

        // The checkout's attempt span names its object key; the trace it belongs to must start at the server's ingress span
        // and reach the payment run two calls down, with every span's parent in the same trace.
        var target = $"CartObject/{user}/checkout";
        bool IsCheckout(ReceivedSpan span) => span.Name == "attempt CartObject/checkout" && span.StringAttribute("restate.invocation.target") == target;
        var spans = await fixture.Receiver.WaitForSpansAsync(received =>
        {
            var checkout = received.FirstOrDefault(IsCheckout);
            if (checkout is null)
            {
                return false;
            }
            var trace = received.Where(span => span.TraceId == checkout.TraceId).ToList();
            return trace.Any(span => span.Name == "run (notify-success)")
                && trace.Count(span => span.ParentSpanId is null) == 1
                && trace.All(span => span.ParentSpanId is null || trace.Any(parent => parent.SpanId == span.ParentSpanId));
        }, TimeSpan.FromSeconds(30));

        var trace = spans.Where(span => span.TraceId == spans.First(IsCheckout).TraceId).ToList();
        var root = trace.Single(span => span.ParentSpanId is null);
        Assert.Equal("ingress CartObject/{key}/checkout", root.Name);
        Assert.Equal("Restate", root.ServiceName);
        var ours = trace.Where(span => span.ServiceName == TourTracing.ServiceName).ToList();
        Assert.Contains(ours, span => span.Name == "attempt CartObject/checkout" && span.Kind == ActivityKind.Server);
        Assert.Contains(ours, span => span.Name == "attempt CheckoutService/handle");
        var pay = Assert.Single(ours, span => span.Name == "run (pay)");
        Assert.StartsWith("attempt CheckoutService/handle", trace.Single(span => span.SpanId == pay.ParentSpanId).Name, StringComparison.Ordinal);
        Assert.All(ours, span => Assert.False(span.IsError, span.ToString()));
    }
}
