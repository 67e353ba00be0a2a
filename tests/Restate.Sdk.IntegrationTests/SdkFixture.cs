using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>A real restate-server plus the test services registered with it, in one <see cref="ServerConfiguration"/>.</summary>
public abstract class SdkFixture(ServerConfiguration configuration) : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("restate-sdk-it-").FullName;
    private TestServicesHost? _services;

    public ServerConfiguration Configuration { get; } = configuration;

    public RestateServer Server { get; private set; } = null!;

    public SideEffectLog SideEffects { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SideEffects = new SideEffectLog(Path.Combine(_workDir, "side-effects.log"));
        var environment = new Dictionary<string, string>(Configuration.Environment);
        if (Configuration.RequestSigning)
        {
            var keyFile = Path.Combine(_workDir, "signing-key.pem");
            await File.WriteAllTextAsync(keyFile, ServerConfiguration.SigningPrivateKeyPem);
            environment["RESTATE_REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"] = keyFile;
        }
        Server = await RestateServer.StartAsync(new RestateServerOptions { Environment = environment });
        _services = await TestServicesHost.StartAsync(SideEffects,
            identityKeys: Configuration.RequestSigning ? [ServerConfiguration.SigningPublicKey] : null);
        await Server.RegisterDeploymentAsync(Configuration.UseHttp11 ? _services.Http1Uri : _services.Http2Uri, Configuration.UseHttp11);
    }

    public Uri ServicesUri => Configuration.UseHttp11 ? _services!.Http1Uri : _services!.Http2Uri;

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await Server.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>POSTs JSON to the ingress and returns status, body and the invocation id header.</summary>
    internal Task<IngressResponse> PostAsync(string path, string? json = null, IReadOnlyDictionary<string, string>? headers = null) =>
        Server.Ingress.PostJsonAsync(path, json, headers);

    internal Task<IngressResponse> GetAsync(string path) => Server.Ingress.GetFromIngressAsync(path);

    /// <summary>Starts an invocation with <c>/send</c> and returns its id.</summary>
    public async Task<string> SendAsync(string path, string? json = null)
    {
        var response = await PostAsync(path.TrimEnd('/') + "/send", json);
        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        return JsonNode.Parse(response.Body)!["invocationId"]!.GetValue<string>();
    }

    /// <summary>Waits for an invocation's result through the ingress.</summary>
    internal Task<IngressResponse> AttachAsync(string invocationId) => GetAsync($"/restate/invocation/{invocationId}/attach");

    /// <summary>Polls the Mailbox object until a handler has dropped a value there.</summary>
    public async Task<string> WaitForMailboxAsync(string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await PostAsync($"/Mailbox/{key}/get");
            var value = JsonNode.Parse(response.Body)!.GetValue<string>();
            if (value.Length > 0)
            {
                return value;
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}

public sealed class BidiStreamFixture() : SdkFixture(ServerConfiguration.BidiStream);

public sealed class RequestResponseFixture() : SdkFixture(ServerConfiguration.RequestResponse);

public sealed class AlwaysSuspendingFixture() : SdkFixture(ServerConfiguration.AlwaysSuspending);

public sealed class LazyStateAlwaysSuspendingFixture() : SdkFixture(ServerConfiguration.LazyStateAlwaysSuspending);

public sealed class SignedFixture() : SdkFixture(ServerConfiguration.RequestSigningOn);
