using Microsoft.Extensions.DependencyInjection;
using Patterns.EventProcessing;

namespace Patterns.Tests;

/// <summary>The examples' services with a content service the tests can watch and hold, and a 100 ms moderation poll.</summary>
public sealed class UserFeedFixture : PatternsFixtureBase
{
    /// <summary>The content service the feeds post to; posts are pending for their first two checks, the default.</summary>
    public InMemoryContentService Content { get; } = new(Microsoft.Extensions.Options.Options.Create(new PatternsOptions()),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<InMemoryContentService>.Instance);

    protected override TimeSpan PaymentExpiry => TimeSpan.FromHours(1);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Configure<PatternsOptions>(options => options.ModerationPollInterval = TimeSpan.FromMilliseconds(100));
        services.AddSingleton<IContentService>(Content);
    }
}
