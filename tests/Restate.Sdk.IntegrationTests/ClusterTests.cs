using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>The three-node loopback cluster of Restate.Sdk.Testing, driving the SDK's test services.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Cluster_OneNodeKilledMidFlight_InvocationsCompleteAndTheNodeRejoins()
    {
        var workDir = Directory.CreateTempSubdirectory("restate-cluster-it-").FullName;
        try
        {
            await using var cluster = await RestateCluster.StartAsync(new RestateClusterOptions());
            await using var services = await TestServicesHost.StartAsync(new SideEffectLog(Path.Combine(workDir, "effects.log")));
            await cluster.RegisterDeploymentAsync(services.Http2Uri);
            Assert.Equal(3, cluster.Nodes.Select(node => node.IngressUri).Distinct().Count());

            // One object, written through every node's ingress in turn: every node routes to the same partition leader.
            var key = Guid.NewGuid().ToString("N");
            for (var i = 0; i < cluster.Nodes.Count; i++)
            {
                var response = await cluster.Nodes[i].Ingress.PostJsonAsync($"/Counter/{key}/add", "1");
                Assert.Equal(HttpStatusCode.OK, response.Status);
                Assert.Equal(i + 1, response.Json["newValue"]!.GetValue<long>());
            }

            // Invocations on many keys (so on every partition) are in flight when node 2 dies.
            var keys = Enumerable.Range(0, 12).Select(i => $"{key}-{i}").ToList();
            var ids = new List<string>();
            foreach (var k in keys)
            {
                var response = await cluster.Ingress.PostJsonAsync($"/Counter/{k}/add/send", "5");
                Assert.Equal(HttpStatusCode.Accepted, response.Status);
                ids.Add(response.Json["invocationId"]!.GetValue<string>());
            }
            var victim = cluster.Nodes[1];
            await victim.KillAsync();

            foreach (var id in ids)
            {
                var attached = await cluster.Ingress.GetFromIngressAsync($"/restate/invocation/{id}/attach");
                Assert.Equal(HttpStatusCode.OK, attached.Status);
                Assert.Equal(5, attached.Json["newValue"]!.GetValue<long>());
            }

            await victim.RestartAsync();
            await cluster.WaitUntilReadyAsync();
            foreach (var k in keys)
            {
                var response = await victim.Ingress.PostJsonAsync($"/Counter/{k}/get", null);
                Assert.Equal(HttpStatusCode.OK, response.Status);
                Assert.Equal("5", response.Body); // exactly once, whichever node led the partition
            }
            var rows = await cluster.QueryAsync($"select count(*) as n from sys_invocation where target_service_key like '{key}-%'");
            Assert.Equal(24, rows[0]!["n"]!.GetValue<long>()); // 12 adds + 12 gets
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_FewerThanThreeNodes_Rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => RestateCluster.StartAsync(new RestateClusterOptions { NodeCount = 2 }));
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
    }

}
