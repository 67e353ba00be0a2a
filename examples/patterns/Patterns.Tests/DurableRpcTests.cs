using Patterns.DurableRpc;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class DurableRpcTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    [Fact]
    public async Task Reserve_SameIdempotencyKeyTwice_ReservesOnceAndAnswersTheFirstResult()
    {
        var (product, user) = (PatternsFixtureBase.NewId("product"), PatternsFixtureBase.NewId("user"));
        var reservations = restate.Client.ServiceClient<ReservationServiceIngressClient>();
        var once = new CallOptions { IdempotencyKey = Guid.NewGuid().ToString() };

        var first = await reservations.ReserveAsync(new ReservationRequest(product, user), once);
        // A retry after a lost answer: run again, reserve would refuse the product; the server answers the first result.
        var retried = await reservations.ReserveAsync(new ReservationRequest(product, user), once);

        Assert.Equal((true, true), (first, retried));
        Assert.Equal(user, await restate.GetStateAsync("ProductObject", product, ProductObject.ReservedBy));
    }

    [Fact]
    public async Task Reserve_WithoutIdempotencyKeyAfterAnotherUser_ReturnsFalseAndKeepsTheFirstUser()
    {
        var (product, mary, bob) = (PatternsFixtureBase.NewId("product"), PatternsFixtureBase.NewId("mary"), PatternsFixtureBase.NewId("bob"));
        var reservations = restate.Client.ServiceClient<ReservationServiceIngressClient>();

        var forMary = await reservations.ReserveAsync(new ReservationRequest(product, mary));
        var forBob = await reservations.ReserveAsync(new ReservationRequest(product, bob));

        Assert.Equal((true, false), (forMary, forBob));
        Assert.Equal(mary, await restate.GetStateAsync("ProductObject", product, ProductObject.ReservedBy));
    }

    [Fact]
    public async Task ProductReserve_CalledFromOutsideWithOneIdempotencyKeyTwice_AnswersTrueTwiceAndAnotherUserFalse()
    {
        // Restate's example: a client outside Restate forwards each reservation straight to the product, with an idempotency key.
        var (mary, bob) = (PatternsFixtureBase.NewId("mary"), PatternsFixtureBase.NewId("bob"));
        var product = restate.Client.ObjectClient<ProductObjectIngressClient>(PatternsFixtureBase.NewId("product"));
        var once = new CallOptions { IdempotencyKey = Guid.NewGuid().ToString() };

        var first = await product.ReserveAsync(mary, once);
        var retried = await product.ReserveAsync(mary, once);
        var forBob = await product.ReserveAsync(bob);

        Assert.Equal((true, true, false), (first, retried, forBob));
        Assert.Equal(mary, await restate.GetStateAsync("ProductObject", product.Key, ProductObject.ReservedBy));
    }
}
