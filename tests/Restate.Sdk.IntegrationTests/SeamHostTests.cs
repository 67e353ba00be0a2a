using System.Net;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// A host built on the public seam alone (<see cref="SeamHost"/>: raw Kestrel, streams, <c>HandleAsync</c>, no
/// <c>MapRestate</c>) registered with the real server: discovery, suspension and replay work through it in both modes.
/// </summary>
public sealed class SeamHostTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    [Fact]
    public async Task HandleAsync_ThirdPartyHostOverHttp11_SuspendsAndReplaysToTheResult()
    {
        await using var host = await SeamHost.StartAsync(Endpoint());
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(host.Http1Uri, useHttp11: true);

        var deployment = await fixture.DeploymentAsync(deploymentId);
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/countScopes", null);

        Assert.Equal("RequestResponse", deployment["protocol_type"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        // Sleep, run, sleep: each await that cannot complete at once suspends, and the next attempt replays the journal.
        var attempts = fixture.SideEffects.Count($"enter:{response.InvocationId}");
        Assert.True(attempts >= 3, $"{attempts} attempt(s): request/response should suspend at each await");
        Assert.Equal(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Body);
    }

    [Fact]
    public async Task HandleAsync_ThirdPartyHostOverH2c_StreamsBothWaysInOneAttempt()
    {
        await using var host = await SeamHost.StartAsync(Endpoint());
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(host.Http2Uri);

        var deployment = await fixture.DeploymentAsync(deploymentId);
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/countScopes", null);

        Assert.Equal("BidiStream", deployment["protocol_type"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("1", response.Body);
    }

    private RestateEndpoint Endpoint()
    {
        var builder = RestateEndpoint.CreateBuilder().WithJsonContext(TestJson.Default);
        foreach (var service in TestServiceCatalog.All(fixture.SideEffects))
        {
            builder.Bind(service);
        }
        return builder.Build();
    }
}
