using System.Text.Json.Nodes;
using Restate.Sdk.Definitions;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// The option rules Build() enforces (OptionRules) are restate-server's: what the builder refuses, the server refuses
/// at registration when the same definition is served unchecked; what the builder accepts, the server registers.
/// </summary>
public sealed class ManifestPlacementTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static TheoryData<string, string> RefusedPlacements => new()
    {
        // The service object of the manifest has no such field, and the server refuses unknown fields.
        { "completion retention on a workflow's service options", "unknown field `workflowCompletionRetention`" },
        { "completion retention on a shared workflow handler", "status sets the workflow_completion_retention, but it's not a WORKFLOW handler" },
        { "completion retention on a service handler", "go sets the workflow_completion_retention, but it's not a WORKFLOW handler" },
        { "idempotency retention on a run handler", "run sets the idempotency_retention, but it's a WORKFLOW handler" },
        { "public handler of a private service", "The service RefusedE is private, but the go is explicitly set as public" },
        { "negative duration", "invalid value: integer `-1000`, expected u64" },
        { "negative retry attempts", "invalid value: integer `-1`, expected u64" },
        // Not shown here: RetryMaxAttempts 0 and a factor below 1 (the server takes them; the builder is as strict as
        // the attributes), and a NaN or infinite factor (JSON cannot carry it: discovery itself would fail).
    };

    [Theory]
    [MemberData(nameof(RefusedPlacements))]
    public async Task Register_DefinitionTheBuilderRefuses_IsRefusedByTheServerToo(string placement, string serverSays)
    {
        var (build, buildUnchecked) = Refused(placement);
        Assert.Throws<InvalidOperationException>(() => build());
        await using var host = await TestServicesHost.StartAsync(fixture.SideEffects, services: [buildUnchecked()]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Server.RegisterDeploymentAsync(host.Http1Uri, useHttp11: true));

        Assert.Contains(serverSays, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_EveryRetentionInItsPlace_IsAcceptedAndReportedByTheAdminApi()
    {
        var definition = ServiceDefinition.ForWorkflow("PlacedWorkflow", new HandlerOptions { IdempotencyRetention = Day, JournalRetention = Day })
            .Run("run", (WorkflowContext _) => Task.CompletedTask, new HandlerOptions { WorkflowCompletionRetention = TimeSpan.FromDays(2) })
            .SharedHandler("status", (SharedWorkflowContext _) => Task.CompletedTask, new HandlerOptions { IdempotencyRetention = TimeSpan.FromHours(3) })
            .Build();
        await using var host = await TestServicesHost.StartAsync(fixture.SideEffects, services: [definition]);

        await fixture.Server.RegisterDeploymentAsync(host.Http1Uri, useHttp11: true);

        var service = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/PlacedWorkflow"))!;
        var handlers = service["handlers"]!.AsArray();
        var status = handlers.Single(h => h!["name"]!.GetValue<string>() == "status")!;
        Assert.Equal("1d", service["idempotency_retention"]!.GetValue<string>());
        // The server reports the run handler's completion retention as the workflow's.
        Assert.Equal("2d", service["workflow_completion_retention"]!.GetValue<string>());
        Assert.Equal("3h", status["idempotency_retention"]!.GetValue<string>());
    }

    private static WorkflowBuilder Workflow(string name, HandlerOptions? service = null, HandlerOptions? run = null,
        HandlerOptions? shared = null) =>
        ServiceDefinition.ForWorkflow(name, service)
            .Run("run", (WorkflowContext _) => Task.CompletedTask, run)
            .SharedHandler("status", (SharedWorkflowContext _) => Task.CompletedTask, shared);

    private static (Func<ServiceDefinition> Build, Func<ServiceDefinition> BuildUnchecked) Both<T>(ServiceBuilderBase<T> builder)
        where T : ServiceBuilderBase<T> => (builder.Build, builder.BuildUnvalidated);

    private static (Func<ServiceDefinition> Build, Func<ServiceDefinition> BuildUnchecked) Refused(string placement) => placement switch
    {
        "completion retention on a workflow's service options" => Both(Workflow("RefusedA", service: new HandlerOptions { WorkflowCompletionRetention = Day })),
        "completion retention on a shared workflow handler" => Both(Workflow("RefusedB", shared: new HandlerOptions { WorkflowCompletionRetention = Day })),
        "completion retention on a service handler" => Both(ServiceDefinition.ForService("RefusedC")
            .Handler("go", (Context _) => Task.CompletedTask, new HandlerOptions { WorkflowCompletionRetention = Day })),
        "idempotency retention on a run handler" => Both(Workflow("RefusedD", run: new HandlerOptions { IdempotencyRetention = Day })),
        "public handler of a private service" => Both(ServiceDefinition.ForService("RefusedE", new HandlerOptions { IngressPrivate = true })
            .Handler("go", (Context _) => Task.CompletedTask, new HandlerOptions { IngressPrivate = false })),
        "negative duration" => Both(ServiceDefinition.ForService("RefusedF", new HandlerOptions { InactivityTimeout = TimeSpan.FromSeconds(-1) })
            .Handler("go", (Context _) => Task.CompletedTask)),
        "negative retry attempts" => Both(ServiceDefinition.ForService("RefusedG", new HandlerOptions { RetryMaxAttempts = -1 })
            .Handler("go", (Context _) => Task.CompletedTask)),
        _ => throw new ArgumentOutOfRangeException(nameof(placement), placement, null),
    };
}
