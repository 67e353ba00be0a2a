using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Tests.Endpoint;

public sealed class RequestIdentityKeyTests
{
    [Fact]
    public void IsValid_ServerKey_IsTrueWithoutProblem()
    {
        Assert.True(RequestIdentityKey.IsValid(" publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp ", out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void IsValid_WithoutPrefix_IsFalseSayingSo()
    {
        Assert.False(RequestIdentityKey.IsValid("ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp", out var problem));
        Assert.Contains("does not start with the 'publickeyv1_' prefix", problem, StringComparison.Ordinal);
    }
}
