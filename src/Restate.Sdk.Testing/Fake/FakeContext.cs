using Restate.Sdk.Definitions;

namespace Restate.Sdk.Testing;

/// <summary>
/// Unit tests of handler logic without a server: a fake context runs a handler on the SDK's real engine against an
/// in-memory runtime that answers at once, and records what the handler did.
/// </summary>
/// <example>
/// <code>
/// var ctx = FakeContext.ForObject("counter-1", options => options.SetState(Counter.Count, 3L));
/// var total = await ctx.InvokeAsync(c => Counter.AddAsync(c, 5));
/// Assert.Equal(8, ctx.GetState(Counter.Count));
/// </code>
/// </example>
public static class FakeContext
{
    /// <summary>A fake for handlers of a plain service.</summary>
    /// <param name="configure">Scripts the runtime's answers; see <see cref="FakeContextOptions"/>.</param>
    public static FakeContext<Context> ForService(Action<FakeContextOptions>? configure = null) =>
        new(Configure(configure), null, HandlerKind.Exclusive, static core => new Context(core));

    /// <summary>A fake for exclusive handlers of the virtual object <paramref name="key"/>.</summary>
    /// <param name="key">The object key (<c>ctx.Key</c>).</param>
    /// <param name="configure">Scripts the runtime's answers, the object's state among them.</param>
    public static FakeContext<ObjectContext> ForObject(string key, Action<FakeContextOptions>? configure = null) =>
        new(Configure(configure), Required(key), HandlerKind.Exclusive, static core => new ObjectContext(core));

    /// <summary>A fake for shared (read-only) handlers of the virtual object <paramref name="key"/>.</summary>
    /// <param name="key">The object key (<c>ctx.Key</c>).</param>
    /// <param name="configure">Scripts the runtime's answers, the object's state among them.</param>
    public static FakeContext<SharedObjectContext> ForSharedObject(string key, Action<FakeContextOptions>? configure = null) =>
        new(Configure(configure), Required(key), HandlerKind.Shared, static core => new SharedObjectContext(core));

    /// <summary>A fake for the run handler of the workflow <paramref name="key"/>.</summary>
    /// <param name="key">The workflow id (<c>ctx.Key</c>).</param>
    /// <param name="configure">Scripts the runtime's answers, the workflow's promises among them.</param>
    public static FakeContext<WorkflowContext> ForWorkflow(string key, Action<FakeContextOptions>? configure = null) =>
        new(Configure(configure), Required(key), HandlerKind.Workflow, static core => new WorkflowContext(core));

    /// <summary>A fake for the shared handlers of the workflow <paramref name="key"/> (signals, queries).</summary>
    /// <param name="key">The workflow id (<c>ctx.Key</c>).</param>
    /// <param name="configure">Scripts the runtime's answers, the workflow's promises among them.</param>
    public static FakeContext<SharedWorkflowContext> ForSharedWorkflow(string key, Action<FakeContextOptions>? configure = null) =>
        new(Configure(configure), Required(key), HandlerKind.Shared, static core => new SharedWorkflowContext(core));

    private static FakeContextOptions Configure(Action<FakeContextOptions>? configure)
    {
        var options = new FakeContextOptions();
        configure?.Invoke(options);
        return options;
    }

    private static string Required(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key;
    }
}
