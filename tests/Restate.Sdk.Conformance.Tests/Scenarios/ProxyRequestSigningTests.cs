using System.Net;
using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Request identity: the server signs every request to the services with its private key, and the services, which
/// accept only the matching public key, serve them; a request without a signature is turned away.
/// </summary>
public abstract class ProxyRequestSigningTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task CounterAddThenGet_SignedRequests_AreServed()
    {
        var counter = $"/Counter/{Guid.NewGuid():N}";

        (await fixture.CallAsync($"{counter}/add", "1", Guid.NewGuid().ToString())).EnsureOk();
        var count = await fixture.CallAsync($"{counter}/get", idempotencyKey: Guid.NewGuid().ToString());

        Assert.Equal("1", count.EnsureOk().Body);
    }

    [Fact]
    public async Task Discovery_UnsignedRequestStraightToTheServices_IsRejected()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // h2c with prior knowledge, as the server talks to the services.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Services.Http2Uri, "discover"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Accept.ParseAdd("application/vnd.restate.endpointmanifest.v3+json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

[Collection(nameof(RequestSigningRuntime))]
public sealed class ProxyRequestSigningOnRequestSigning(RequestSigningRuntime fixture) : ProxyRequestSigningTests(fixture);
