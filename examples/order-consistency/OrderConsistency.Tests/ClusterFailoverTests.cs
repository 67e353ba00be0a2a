using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderConsistency.Checking;
using OrderConsistency.Clients;
using OrderConsistency.Inventory;
using OrderConsistency.Orders;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Testing;
using Xunit.Abstractions;

namespace OrderConsistency.Tests;

/// <summary>
/// The order services on a three-node restate-server cluster, with clients on every node's ingress while nodes are
/// killed with SIGKILL and restarted one at a time (the partition leader, the metadata leader, a follower, in turn);
/// afterwards every order must be consistent with the inventory. <c>ORDER_CONSISTENCY_ORDERS</c> (orders per client,
/// default 10) and <c>ORDER_CONSISTENCY_FAULTS</c> (default 6) size the run.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task OrderSequences_NodesKilledAndRestartedOneAtATime_EveryOrderConsistentWithTheInventory()
    {
        var ordersPerClient = Setting("ORDER_CONSISTENCY_ORDERS", 10);
        var faultCount = Setting("ORDER_CONSISTENCY_FAULTS", 6);
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        var elapsed = Stopwatch.StartNew();

        await using var cluster = await RestateCluster.StartAsync(new RestateClusterOptions(), ct);
        var inventory = new InMemoryInventory(Microsoft.Extensions.Options.Options.Create(new OrderConsistencyOptions
        {
            Seed = 42,
            TransientFailureProbability = 0.1,
            EarmarkFailureProbability = 0.05,
            BookingFailureProbability = 0.1,
        }), NullLogger<InMemoryInventory>.Instance);
        await using var app = await StartOrderServicesAsync(inventory, ct);
        await cluster.RegisterDeploymentAsync(new Uri(app.Urls.Single()), ct: ct);
        Log($"cluster ready and services registered after {elapsed.Elapsed.TotalSeconds:0.0} s");

        using var ingress = new FailoverIngress([.. cluster.Nodes.Select(node => node.IngressUri)]);
        var injector = new FaultInjector(cluster, pause: TimeSpan.FromSeconds(2), downtime: TimeSpan.FromSeconds(2), Log);
        var faults = injector.RunAsync(faultCount, ct);
        // Three clients run orders one after the other (sticky to n1, alternating from n2, sticky to n3), a fourth alternates
        // from n1 and sends its closes and cancels one-way (never again once a node accepted them, so only Restate can finish
        // them), and a pair races a close through n2 against a cancel through n3; each goes on until it has done its orders
        // and the faults are over.
        var clients = new[]
        {
            RunUntilFaultsAreOverAsync("sticky-n1", new OrderClient(ingress, EndpointChoice.Sticky, 0, seed: 1).RunOrderAsync),
            RunUntilFaultsAreOverAsync("alternating", new OrderClient(ingress, EndpointChoice.Alternating, 1, seed: 2).RunOrderAsync),
            RunUntilFaultsAreOverAsync("sticky-n3", new OrderClient(ingress, EndpointChoice.Sticky, 2, seed: 3).RunOrderAsync),
            RunUntilFaultsAreOverAsync("one-way", new OrderClient(ingress, EndpointChoice.Alternating, 0, seed: 6, oneWayEndings: true).RunOrderAsync),
            RunUntilFaultsAreOverAsync("race", RaceAsync(new OrderClient(ingress, EndpointChoice.Sticky, 1, seed: 4),
                new OrderClient(ingress, EndpointChoice.Sticky, 2, seed: 5))),
        };
        await faults;
        var runs = (await Task.WhenAll(clients)).SelectMany(batch => batch).ToList();
        Log($"{runs.Count} orders run, {injector.Faults.Count} faults injected, {ingress.Failovers} requests failed over, after {elapsed.Elapsed.TotalSeconds:0.0} s");

        await WaitForNoUnfinishedInvocationsAsync(cluster, ct);
        var report = await InvariantChecker.CheckAsync(runs,
            orderId => ingress.CallAsync(0, $"check-{orderId}",
                (client, _, token) => client.ObjectClient<OrderObjectIngressClient>(orderId).GetAsync(cancellationToken: token), ct),
            inventory.Holdings, inventory.Operations);
        Log($"check: {report}; total {elapsed.Elapsed.TotalSeconds:0.0} s");

        Assert.True(report.Violations.Count == 0, $"{report}:\n{string.Join("\n", report.Violations)}");
        Assert.Equal(faultCount, injector.Faults.Count);
        Assert.Contains(injector.Faults, fault => fault.Role == "partition leader" && fault.PartitionsLed > 0);
        Assert.True(runs.Count >= 5 * ordersPerClient, $"only {runs.Count} orders ran");
        Assert.True(report.Statuses.GetValueOrDefault(OrderStatus.Closed) + report.Statuses.GetValueOrDefault(OrderStatus.Reversed) > 0,
            $"no order was executed: {report}");
        Assert.True(ingress.Failovers > 0, "no client request met a dead node: the faults did not reach the clients");

        async Task<IReadOnlyList<OrderRun>> RunUntilFaultsAreOverAsync(string name, Func<string, CancellationToken, Task<OrderRun>> runOrder)
        {
            var runs = new List<OrderRun>();
            while (runs.Count < ordersPerClient || !faults.IsCompleted)
            {
                runs.Add(await runOrder($"{name}-{runs.Count + 1}", ct));
            }
            return runs;
        }
    }

    private static Func<string, CancellationToken, Task<OrderRun>> RaceAsync(OrderClient closer, OrderClient canceler) =>
        (orderId, ct) => OrderClient.RaceCloseAndCancelAsync(closer, canceler, orderId, ct);

    /// <summary>The order services as Program.cs hosts them, on a free loopback port, with the test's inventory.</summary>
    private static async Task<WebApplication> StartOrderServicesAsync(InMemoryInventory inventory, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddOrders();
        builder.Services.AddSingleton(inventory);
        var app = builder.Build();
        app.MapRestate();
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>
    /// Every invocation the clients started has been answered, so none should be left; this asks the server (its SQL API
    /// refuses queries for a while after a node restarts, hence the retries).
    /// </summary>
    private async Task WaitForNoUnfinishedInvocationsAsync(RestateCluster cluster, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        var last = "no answer yet";
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var rows = await cluster.QueryAsync("select count(*) as n from sys_invocation where status != 'completed'", ct);
                var unfinished = rows[0]!["n"]!.GetValue<long>();
                if (unfinished == 0)
                {
                    Log($"no unfinished invocations (checked after {waited.Elapsed.TotalSeconds:0.0} s)");
                    return;
                }
                last = $"{unfinished} unfinished invocations";
            }
            catch (InvalidOperationException e)
            {
                last = e.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        Assert.Fail($"Invocations still unfinished after 60 s: {last}");
    }

    private void Log(string line) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
