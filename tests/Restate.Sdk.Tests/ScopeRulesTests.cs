namespace Restate.Sdk.Tests;

/// <summary>The scope and limit key rules of restate-server, checked where a call or send is made.</summary>
public sealed class ScopeRulesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("payments", null)]
    [InlineData("Tenant_1.eu-west", "a")]
    [InlineData("payments", "tenant1/user7")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789/x")]
    public void Validate_WellFormed_Passes(string? scope, string? limitKey) => ScopeRules.Validate(scope, limitKey, "options");

    [Theory]
    [InlineData("", null, "Scope must not be empty")]
    [InlineData("has space", null, "Scope 'has space' contains ' '")]
    [InlineData("a/b", null, "Scope 'a/b' contains '/'")]
    [InlineData("zürich", null, "Scope 'zürich' contains 'ü'")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789x", null, "has 37 characters, restate-server accepts at most 36")]
    [InlineData(null, "tenant1", "The limit key 'tenant1' has no scope")]
    [InlineData("s", "", "Limit key must not be empty")]
    [InlineData("s", "a/b/c", "'a/b/c' has 3 levels; restate-server accepts at most 2")]
    [InlineData("s", "a//b", "has 3 levels")]
    [InlineData("s", "a/", "Limit key 'a/' has an empty level")]
    [InlineData("s", "/a", "Limit key '/a' has an empty level")]
    [InlineData("s", "a*b", "Limit key 'a*b' contains '*'")]
    [InlineData("s", "t/abcdefghijklmnopqrstuvwxyz0123456789x", "is too long")]
    public void Validate_Malformed_ThrowsNamingTheProblem(string? scope, string? limitKey, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ScopeRules.Validate(scope, limitKey, "options"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal("options", e.ParamName);
    }

    [Theory]
    [InlineData("pay ments", null, "Scope 'pay ments' contains ' '")]
    [InlineData(null, "tenant1", "The limit key 'tenant1' has no scope")]
    [InlineData("payments", "a/b/c", "The limit key 'a/b/c' has 3 levels")]
    public void OptionsValidate_Malformed_ThrowsNamingTheValueAndTheParameter(string? scope, string? limitKey, string expected)
    {
        var call = Assert.Throws<ArgumentException>(() => new CallOptions { Scope = scope, LimitKey = limitKey }.Validate("callOptions"));
        var send = Assert.Throws<ArgumentException>(() => new SendOptions { Scope = scope, LimitKey = limitKey }.Validate("sendOptions"));

        Assert.Contains(expected, call.Message, StringComparison.Ordinal);
        Assert.Contains(expected, send.Message, StringComparison.Ordinal);
        Assert.Equal(("callOptions", "sendOptions"), (call.ParamName, send.ParamName));
    }

    [Fact]
    public void OptionsValidate_WellFormedOrEmpty_Passes()
    {
        new CallOptions().Validate("options");
        new SendOptions { IdempotencyKey = "k", Delay = TimeSpan.FromSeconds(1) }.Validate("options");
        new CallOptions { Scope = "payments", LimitKey = "tenant1/user7" }.Validate("options");
        new SendOptions { Scope = "payments", LimitKey = "tenant1" }.Validate("options");
    }
}
