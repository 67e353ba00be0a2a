using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Restate.Sdk.Testing;
using TourOfRestate.Email;
using TourOfRestate.Payments;
using TourOfRestate.Services;

namespace TourOfRestate.Tests;

public sealed class CheckoutServiceTests
{
    [Fact]
    public async Task Handle_TwoTickets_PaysOnceWithADeterministicKeyAndSendsTheSuccessEmail()
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
}
