namespace Restate.Sdk.Tests;

public sealed class RetryPolicyTests
{
    [Fact]
    public void Exponential_WithoutMaxInterval_CapsEachDelayAtTenSeconds()
    {
        var policy = RetryPolicy.Exponential(TimeSpan.FromMilliseconds(100));

        Assert.Equal(RetryPolicy.DefaultMaxInterval, policy.MaxInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.Decide(1, TimeSpan.Zero).Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(6400), policy.Decide(7, TimeSpan.Zero).Delay);
        // 100 ms · 2^29 would be 15 hours.
        Assert.Equal(TimeSpan.FromSeconds(10), policy.Decide(30, TimeSpan.Zero).Delay);
    }

    [Fact]
    public void Exponential_WithMaxInterval_UsesIt()
    {
        var policy = RetryPolicy.Exponential(TimeSpan.FromSeconds(1), 3, TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), policy.Decide(20, TimeSpan.Zero).Delay);
    }

    [Fact]
    public void Exponential_InitialIntervalAboveTheDefaultCap_IsItsOwnCap()
    {
        var policy = RetryPolicy.Exponential(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.MaxInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Decide(5, TimeSpan.Zero).Delay);
    }

    [Fact]
    public void Exponential_MaxIntervalBelowTheInitialInterval_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Exponential(TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(1)));

        Assert.Equal("maxInterval", error.ParamName);
    }
}
