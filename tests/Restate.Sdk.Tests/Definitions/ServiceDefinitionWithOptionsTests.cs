using Restate.Sdk.Definitions;

namespace Restate.Sdk.Tests.Definitions;

/// <summary>WithOptions replaces a built definition's options (what hosts use for options from configuration), checked as Build() checks them.</summary>
public sealed class ServiceDefinitionWithOptionsTests
{
    private static ServiceDefinition Orders() => ServiceDefinition.ForVirtualObject("Orders", new HandlerOptions { Documentation = "orders" })
        .Handler("place", (ObjectContext _, string order) => Task.FromResult(order), options: new HandlerOptions { Accept = "text/plain" })
        .SharedHandler("peek", (SharedObjectContext _) => Task.FromResult("none"))
        .Build();

    [Fact]
    public void WithOptions_ServiceAndOneHandler_ReplacesThoseAndKeepsTheRest()
    {
        var original = Orders();

        var copy = original.WithOptions(original.Options! with { InactivityTimeout = TimeSpan.FromMinutes(5) },
            new Dictionary<string, HandlerOptions?> { ["peek"] = new() { RetryMaxAttempts = 3 } });

        Assert.Equal(TimeSpan.FromMinutes(5), copy.Options!.InactivityTimeout);
        Assert.Equal("orders", copy.Options.Documentation);
        Assert.Equal(3, copy.HandlersByName["peek"].Options!.RetryMaxAttempts);
        Assert.Same(original.HandlersByName["place"], copy.HandlersByName["place"]);
        Assert.Equal("text/plain", copy.HandlersByName["place"].InputContentType);
        Assert.Null(original.Options!.InactivityTimeout);
    }

    [Fact]
    public void WithOptions_UnknownHandler_ThrowsNamingTheHandlers()
    {
        var error = Assert.Throws<ArgumentException>(() => Orders().WithOptions(null, new Dictionary<string, HandlerOptions?> { ["pick"] = null }));

        Assert.StartsWith("Service 'Orders' has no handler named 'pick'; its handlers are place, peek.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithOptions_ChangedAccept_ThrowsSayingItBelongsToTheCode()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Orders().WithOptions(null, new Dictionary<string, HandlerOptions?> { ["place"] = new() { Accept = "*/*" } }));

        Assert.StartsWith("Handler 'Orders/place': Accept and ContentType describe the handler's serdes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithOptions_MisplacedOption_ThrowsAsBuildDoes()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Orders().WithOptions(new HandlerOptions { RetryMaxAttempts = 0 }));

        Assert.Equal("Virtual object 'Orders': RetryMaxAttempts is 0: it must be at least 1.", error.Message);
    }
}
