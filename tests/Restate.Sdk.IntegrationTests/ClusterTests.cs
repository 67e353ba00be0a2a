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
                var (status, body) = await PostAsync(cluster.Nodes[i].Ingress, $"/Counter/{key}/add", "1");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(i + 1, JsonNode.Parse(body)!["newValue"]!.GetValue<long>());
            }

            // Invocations on many keys (so on every partition) are in flight when node 2 dies.
            var keys = Enumerable.Range(0, 12).Select(i => $"{key}-{i}").ToList();
            var ids = new List<string>();
            foreach (var k in keys)
            {
                var (status, body) = await PostAsync(cluster.Ingress, $"/Counter/{k}/add/send", "5");
                Assert.Equal(HttpStatusCode.Accepted, status);
                ids.Add(JsonNode.Parse(body)!["invocationId"]!.GetValue<string>());
            }
            var victim = cluster.Nodes[1];
            await victim.KillAsync();

            foreach (var id in ids)
            {
                using var attached = await cluster.Ingress.GetAsync($"/restate/invocation/{id}/attach");
                Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
                Assert.Equal(5, JsonNode.Parse(await attached.Content.ReadAsStringAsync())!["newValue"]!.GetValue<long>());
            }

            await victim.RestartAsync();
            await cluster.WaitUntilReadyAsync();
            foreach (var k in keys)
            {
                var (status, body) = await PostAsync(victim.Ingress, $"/Counter/{k}/get", null);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("5", body); // exactly once, whichever node led the partition
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

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string path, string? json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
