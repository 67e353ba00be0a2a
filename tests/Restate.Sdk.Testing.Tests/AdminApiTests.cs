using System.Net;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing.Tests;

public sealed class AdminApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RestateServer? _server;

    private RestateServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await RestateServer.StartAsync(TestSupport.Options(output));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ingress_UnknownService_Returns404()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await Server.Ingress.PostAsync("NoSuchService/x", content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NoSuchService", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_CountSysInvocation_ReturnsOneRowWithZero()
    {
        var rows = await Server.QueryAsync("select count(*) as n from sys_invocation");

        var row = Assert.IsType<JsonObject>(Assert.Single(rows));
        Assert.Equal(0, row["n"]!.GetValue<int>());
        Assert.Null(rows.Parent);
    }

    [Fact]
    public async Task QueryAsync_UnknownTable_ThrowsWithServerMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Server.QueryAsync("select * from no_such_table"));

        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, """{"message":"Datafusion error: External error: partition processor not running"}""", true)]
    [InlineData(500, """{"message":"Datafusion error: Internal error: External error: partition 3 doesn't exist on this node, this is benign if the partition is being transferred out of/into this node.."}""", true)]
    [InlineData(500, """{"message":"Datafusion error: Error during planning: table 'restate.public.no_such_table' not found"}""", false)]
    [InlineData(400, """{"message":"Datafusion error: External error: bad request"}""", false)]
    public void IsTransientQueryFailure_RetriesOnlyThePartitionErrorsThatPass(int status, string body, bool transient)
    {
        Assert.Equal(transient, AdminApi.IsTransientQueryFailure((HttpStatusCode)status, body));
    }

    [Fact]
    public async Task RegisterDeploymentAsync_NothingListening_ThrowsWithServerError()
    {
        var uri = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Server.RegisterDeploymentAsync(uri));

        Assert.Contains("META0003", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(uri.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterDeploymentAsync_ManifestEndpoint_ReturnsDeploymentIdAndServiceIsKnown()
    {
        using var endpoint = new ManifestEndpoint();

        var id = await Server.RegisterDeploymentAsync(endpoint.Uri, useHttp11: true);
        var again = await Server.RegisterDeploymentAsync(endpoint.Uri, useHttp11: true);

        Assert.StartsWith("dp_", id, StringComparison.Ordinal);
        Assert.Equal(id, again);
        Assert.True(endpoint.DiscoveryRequests >= 2);
        var service = await TestSupport.GetJsonAsync(Server.Admin, "services/Greeter");
        Assert.Equal("Greeter", (string?)service["name"]);
    }
}
