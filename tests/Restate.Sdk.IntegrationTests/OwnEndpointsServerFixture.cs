using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// One restate-server in <paramref name="configuration"/> for a test class whose tests register endpoints of their
/// own, with a side-effect log in a temporary folder.
/// </summary>
public abstract class OwnEndpointsServerFixture(ServerConfiguration configuration) : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("restate-sdk-hosting-it-").FullName;

    public RestateServer Server { get; private set; } = null!;

    public SideEffectLog SideEffects { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SideEffects = new SideEffectLog(Path.Combine(_workDir, "side-effects.log"));
        Server = await RestateServer.StartAsync(new RestateServerOptions { Environment = configuration.Environment });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>The deployment as the admin API describes it (<c>GET /deployments/{id}</c>).</summary>
    public async Task<JsonNode> DeploymentAsync(string id) => JsonNode.Parse(await Server.Admin.GetStringAsync($"/deployments/{id}"))!;
}
