using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Restate.Sdk.Testing;
using TourOfRestate.Email;
using TourOfRestate.Payments;
using TourOfRestate.Services;

namespace TourOfRestate.Tests;

/// <summary>CheckoutService.handle on the test kit's <see cref="FakeContext"/>: no server, the journal and retries in process.</summary>
public sealed class CheckoutServiceTests
{
    [Fact]
    public async Task Handle_TwoTickets_PaysOnceAndSendsTheSuccessEmail()
    {
        var options = Options.Create(new TourOptions());
        var payments = new InMemoryPaymentClient(options);
        var service = new CheckoutService(payments, new LoggingEmailClient(NullLogger<LoggingEmailClient>.Instance), options);
        var ctx = FakeContext.ForService(fake => fake.UseJsonContext(TourJson.Default));

        var paid = await ctx.InvokeAsync(c => service.HandleAsync(c, new CheckoutRequest("mary", ["seat2B", "seat2C"])));

        Assert.True(paid);
        Assert.Equal([("pay", 1), ("notify-success", 1)], ctx.Runs.Select(run => (run.Name, run.Executions)));
        var charge = Assert.Single(payments.Charges);
        Assert.Equal(("mary", 80m), (charge.UserId, charge.Amount));
        Assert.True(Guid.TryParse(charge.IdempotencyKey, out _));
    }

    [Fact]
    public async Task Handle_PaymentDeclined_SendsTheFailureEmailAndAnswersFalse()
    {
        var options = Options.Create(new TourOptions { DeclinedUsers = { "bob" } });
        var payments = new InMemoryPaymentClient(options);
        var service = new CheckoutService(payments, new LoggingEmailClient(NullLogger<LoggingEmailClient>.Instance), options);
        var ctx = FakeContext.ForService(fake => fake.UseJsonContext(TourJson.Default));

        var paid = await ctx.InvokeAsync(c => service.HandleAsync(c, new CheckoutRequest("bob", ["seat2B"])));

        Assert.False(paid);
        Assert.Equal([("pay", 1), ("notify-failure", 1)], ctx.Runs.Select(run => (run.Name, run.Executions)));
        Assert.Empty(payments.Charges);
    }

    [Fact]
    public async Task Handle_ProviderFailsOnce_RetriesWithTheSameIdempotencyKeyAndChargesOnce()
    {
        var options = Options.Create(new TourOptions());
        var provider = new FailingOncePaymentClient(new InMemoryPaymentClient(options));
        var service = new CheckoutService(provider, new LoggingEmailClient(NullLogger<LoggingEmailClient>.Instance), options);
        var ctx = FakeContext.ForService(fake => fake.UseJsonContext(TourJson.Default));

        var paid = await ctx.InvokeAsync(c => service.HandleAsync(c, new CheckoutRequest("mary", ["seat2B"])));

        // The failed payment is not journaled, so the invocation is retried from the start and draws its key again:
        // from ctx.Random it is the same key, so the provider can tell the retry from a second purchase.
        Assert.True(paid);
        Assert.Equal(2, provider.Keys.Count);
        Assert.Equal(provider.Keys[0], provider.Keys[1]);
        Assert.Single(provider.Inner.Charges);
    }

    /// <summary>A provider whose first call fails as a dropped connection would, before it charges anything.</summary>
    private sealed class FailingOncePaymentClient(InMemoryPaymentClient inner) : IPaymentClient
    {
        public InMemoryPaymentClient Inner => inner;

        public List<string> Keys { get; } = [];

        public Task<bool> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        {
            Keys.Add(request.IdempotencyKey);
            return Keys.Count == 1
                ? throw new HttpRequestException("The payment provider did not answer (simulated)")
                : inner.ChargeAsync(request, cancellationToken);
        }
    }
}
