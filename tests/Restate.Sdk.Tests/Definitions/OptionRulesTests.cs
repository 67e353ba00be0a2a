using Restate.Sdk.Definitions;

namespace Restate.Sdk.Tests.Definitions;

/// <summary>
/// Build() refuses what restate-server 1.7 refuses at registration, naming the option and where it belongs
/// (OptionRules documents where each rule comes from; ManifestPlacementTests shows the server refusing them).
/// </summary>
public sealed class OptionRulesTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Build_WorkflowCompletionRetentionOnWorkflowServiceOptions_ThrowsPointingToTheRunHandler()
    {
        var builder = Workflow(new HandlerOptions { WorkflowCompletionRetention = Day });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Workflow 'Signup': WorkflowCompletionRetention belongs to the workflow's run handler, not to the service: " +
            "set it in the HandlerOptions of the workflow's Run handler (restate-server has no service-level completion retention).", error.Message);
    }

    [Theory]
    [InlineData(ServiceKind.Service, "Service 'Things'")]
    [InlineData(ServiceKind.VirtualObject, "Virtual object 'Things'")]
    public void Build_WorkflowCompletionRetentionOnOtherServiceOptions_ThrowsSayingItIsNotAWorkflow(ServiceKind kind, string where)
    {
        var options = new HandlerOptions { WorkflowCompletionRetention = Day };
        Func<ServiceDefinition> build = kind == ServiceKind.Service
            ? ServiceDefinition.ForService("Things", options).Handler("go", (Context _) => Task.CompletedTask).Build
            : ServiceDefinition.ForVirtualObject("Things", options).Handler("go", (ObjectContext _) => Task.CompletedTask).Build;

        var error = Assert.Throws<InvalidOperationException>(() => build());

        Assert.Equal($"{where}: WorkflowCompletionRetention applies only to a workflow's run handler, and this is not a workflow.", error.Message);
    }

    [Fact]
    public void Build_WorkflowCompletionRetentionOnRunHandler_IsAccepted()
    {
        var definition = Workflow(runOptions: new HandlerOptions { WorkflowCompletionRetention = Day }).Build();

        Assert.Equal(Day, definition.HandlersByName["run"].Options!.WorkflowCompletionRetention);
    }

    [Fact]
    public void Build_WorkflowCompletionRetentionOnSharedWorkflowHandler_ThrowsPointingToTheRunHandler()
    {
        var builder = Workflow(sharedOptions: new HandlerOptions { WorkflowCompletionRetention = Day });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Shared workflow handler 'Signup/status': WorkflowCompletionRetention applies only to the run handler: " +
            "set it in the HandlerOptions of the workflow's Run handler.", error.Message);
    }

    [Fact]
    public void Build_WorkflowCompletionRetentionOnObjectHandler_Throws()
    {
        var builder = ServiceDefinition.ForVirtualObject("Cart")
            .SharedHandler("peek", (SharedObjectContext _) => Task.CompletedTask, new HandlerOptions { WorkflowCompletionRetention = Day });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Shared handler 'Cart/peek': WorkflowCompletionRetention applies only to a workflow's run handler.", error.Message);
    }

    [Fact]
    public void Build_IdempotencyRetentionOnRunHandler_ThrowsNamingWorkflowCompletionRetention()
    {
        var builder = Workflow(runOptions: new HandlerOptions { IdempotencyRetention = Day });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.StartsWith("Run handler 'Signup/run': IdempotencyRetention does not apply to a run handler, which keeps its result " +
            "for WorkflowCompletionRetention instead", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IdempotencyRetentionOnWorkflowServiceOrSharedHandler_IsAccepted()
    {
        var definition = Workflow(new HandlerOptions { IdempotencyRetention = Day }, sharedOptions: new HandlerOptions { IdempotencyRetention = Day }).Build();

        Assert.Equal(Day, definition.Options!.IdempotencyRetention);
    }

    [Fact]
    public void Build_PublicHandlerOfPrivateService_ThrowsSayingToHideHandlersInstead()
    {
        var builder = ServiceDefinition.ForService("Internal", new HandlerOptions { IngressPrivate = true })
            .Handler("open", (Context _) => Task.CompletedTask, new HandlerOptions { IngressPrivate = false });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Handler 'Internal/open': IngressPrivate = false cannot expose a handler of an ingress-private service: " +
            "make 'Internal' public and set IngressPrivate = true on the handlers to hide.", error.Message);
    }

    [Fact]
    public void Build_PrivateHandlerOfPublicServiceOrPrivateHandlerOfPrivateService_IsAccepted()
    {
        ServiceDefinition.ForService("Open").Handler("hidden", (Context _) => Task.CompletedTask, new HandlerOptions { IngressPrivate = true }).Build();
        ServiceDefinition.ForService("Closed", new HandlerOptions { IngressPrivate = true })
            .Handler("hidden", (Context _) => Task.CompletedTask, new HandlerOptions { IngressPrivate = true }).Build();
    }

    [Theory]
    [InlineData(nameof(HandlerOptions.InactivityTimeout))]
    [InlineData(nameof(HandlerOptions.AbortTimeout))]
    [InlineData(nameof(HandlerOptions.JournalRetention))]
    [InlineData(nameof(HandlerOptions.IdempotencyRetention))]
    [InlineData(nameof(HandlerOptions.RetryInitialInterval))]
    [InlineData(nameof(HandlerOptions.RetryMaxInterval))]
    public void Build_NegativeDuration_ThrowsNamingTheOption(string option)
    {
        var negative = TimeSpan.FromSeconds(-1);
        var options = option switch
        {
            nameof(HandlerOptions.InactivityTimeout) => new HandlerOptions { InactivityTimeout = negative },
            nameof(HandlerOptions.AbortTimeout) => new HandlerOptions { AbortTimeout = negative },
            nameof(HandlerOptions.JournalRetention) => new HandlerOptions { JournalRetention = negative },
            nameof(HandlerOptions.IdempotencyRetention) => new HandlerOptions { IdempotencyRetention = negative },
            nameof(HandlerOptions.RetryInitialInterval) => new HandlerOptions { RetryInitialInterval = negative },
            _ => new HandlerOptions { RetryMaxInterval = negative },
        };

        var error = Assert.Throws<InvalidOperationException>(ServiceDefinition.ForService("Timed", options).Handler("go", (Context _) => Task.CompletedTask).Build);

        Assert.Equal($"Service 'Timed': {option} is -00:00:01, negative: durations are zero or more.", error.Message);
    }

    [Fact]
    public void Build_NegativeCompletionRetentionOnRunHandler_ThrowsNamingTheHandler()
    {
        var builder = Workflow(runOptions: new HandlerOptions { WorkflowCompletionRetention = TimeSpan.FromMinutes(-1) });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Run handler 'Signup/run': WorkflowCompletionRetention is -00:01:00, negative: durations are zero or more.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Build_RetryMaxAttemptsBelowOne_Throws(int attempts)
    {
        var builder = ServiceDefinition.ForService("Retrying").Handler("go", (Context _) => Task.CompletedTask, new HandlerOptions { RetryMaxAttempts = attempts });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal($"Handler 'Retrying/go': RetryMaxAttempts is {attempts}: it must be at least 1.", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(0.5, "0.5")]
    public void Build_RetryExponentiationFactorNotFiniteOrBelowOne_Throws(double factor, string shown)
    {
        var builder = ServiceDefinition.ForService("Retrying", new HandlerOptions { RetryExponentiationFactor = factor }).Handler("go", (Context _) => Task.CompletedTask);

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal($"Service 'Retrying': RetryExponentiationFactor is {shown}: it must be a finite number of at least 1.", error.Message);
    }

    [Fact]
    public void Build_UndefinedOnMaxAttempts_ThrowsNamingTheValues()
    {
        var builder = ServiceDefinition.ForService("Retrying", new HandlerOptions { RetryOnMaxAttempts = (OnMaxAttempts)9 }).Handler("go", (Context _) => Task.CompletedTask);

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Service 'Retrying': RetryOnMaxAttempts is 9, not a value of OnMaxAttempts: use OnMaxAttempts.Pause or OnMaxAttempts.Kill.", error.Message);
    }

    [Fact]
    public void Build_UndefinedOnJournalMismatch_ThrowsNamingTheValues()
    {
        var builder = ServiceDefinition.ForService("Drifting").Handler("go", (Context _) => Task.CompletedTask,
            new HandlerOptions { OnJournalMismatch = (OnJournalMismatch)9 });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("OnJournalMismatch is 9, not a value of OnJournalMismatch: use OnJournalMismatch.Retry, OnJournalMismatch.Pause or OnJournalMismatch.Fail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MetadataValueNull_ThrowsNamingTheKey()
    {
        var metadata = new Dictionary<string, string> { ["team"] = null! };
        var builder = ServiceDefinition.ForService("Tagged").Handler("go", (Context _) => Task.CompletedTask, new HandlerOptions { Metadata = metadata });

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Equal("Handler 'Tagged/go': Metadata 'team' has no value: metadata values are strings.", error.Message);
    }

    [Fact]
    public void Build_EveryOptionInItsPlace_IsAccepted()
    {
        var everywhere = new HandlerOptions
        {
            Documentation = "docs",
            Metadata = new Dictionary<string, string> { ["team"] = "holiday" },
            InactivityTimeout = TimeSpan.Zero,
            AbortTimeout = TimeSpan.FromMinutes(1),
            JournalRetention = Day,
            EnableLazyState = true,
            IngressPrivate = false,
            RetryInitialInterval = TimeSpan.FromMilliseconds(100),
            RetryMaxInterval = TimeSpan.FromSeconds(10),
            RetryMaxAttempts = 1,
            RetryExponentiationFactor = 1,
            RetryOnMaxAttempts = OnMaxAttempts.Pause,
        };

        var definition = Workflow(everywhere with { IdempotencyRetention = Day },
            runOptions: everywhere with { WorkflowCompletionRetention = Day },
            sharedOptions: everywhere with { IdempotencyRetention = Day }).Build();

        Assert.Equal(2, definition.Handlers.Count);
    }

    private static WorkflowBuilder Workflow(HandlerOptions? serviceOptions = null, HandlerOptions? runOptions = null, HandlerOptions? sharedOptions = null) =>
        ServiceDefinition.ForWorkflow("Signup", serviceOptions)
            .Run("run", (WorkflowContext _) => Task.CompletedTask, runOptions)
            .SharedHandler("status", (SharedWorkflowContext _) => Task.CompletedTask, sharedOptions);
}
