using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

using Restate.Sdk.Testing;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>
/// One runtime under test (<see cref="RuntimeConfiguration"/>) plus its own conformance services process, registered
/// with it; and the ingress and admin calls the scenarios make.
/// </summary>
public abstract class ConformanceFixture(RuntimeConfiguration configuration) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(90);

    private readonly string _workDir = Directory.CreateTempSubdirectory("restate-conformance-").FullName;
    private IRestateRuntime? _runtime;
    private ConformanceServices? _services;

    public RuntimeConfiguration Configuration { get; } = configuration;

    /// <summary>The runtime under test.</summary>
    public IRestateRuntime Runtime => _runtime ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The services process registered with <see cref="Runtime"/>.</summary>
    public ConformanceServices Services => _services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var environment = new Dictionary<string, string>(Configuration.Environment);
        if (Configuration.RequestSigning)
        {
            var keyFile = Path.Combine(_workDir, "signing-key.pem");
            await File.WriteAllTextAsync(keyFile, RuntimeConfiguration.SigningPrivateKeyPem, timeout.Token);
            environment["RESTATE_REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE"] = keyFile;
        }

        _runtime = await Configuration.Factory(environment, timeout.Token);

        _services = await ConformanceServices.StartAsync(
            Configuration.RequestSigning ? RuntimeConfiguration.SigningPublicKey : null, timeout.Token);
        await _runtime.RegisterDeploymentAsync(Configuration.UseHttp11 ? _services.Http1Uri : _services.Http2Uri,
            Configuration.UseHttp11, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>POSTs JSON to the ingress (a call that waits for the result) and returns what it answered.</summary>
    /// <param name="path">E.g. <c>/Counter/{key}/add</c>.</param>
    /// <param name="json">The request body, or null for none.</param>
    /// <param name="idempotencyKey">Sent as the <c>idempotency-key</c> header when set.</param>
    /// <param name="headers">Extra request headers.</param>
    /// <param name="ct">Cancels the call; without it, the call gives up after 90 s.</param>
    internal Task<IngressResponse> CallAsync(string path, string? json = null, string? idempotencyKey = null,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default) =>
        PostAsync(path, json is null ? null : Encoding.UTF8.GetBytes(json), "application/json", idempotencyKey, headers, ct);

    /// <summary>POSTs raw bytes with the given content type to the ingress.</summary>
    internal Task<IngressResponse> CallRawAsync(string path, byte[] body, string contentType, CancellationToken ct = default) =>
        PostAsync(path, body, contentType, null, null, ct);

    /// <summary>Starts an invocation with <c>…/send</c> (202) and returns its id and send status.</summary>
    public async Task<SendResponse> SendAsync(string path, string? json = null, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        var response = await CallAsync(path.TrimEnd('/') + "/send", json, idempotencyKey, null, ct);
        Assert.True(response.Status == HttpStatusCode.Accepted, $"Expected 202 from {path}/send, got {response}");
        return new SendResponse(response.Json["invocationId"]!.GetValue<string>(), response.Json["status"]!.GetValue<string>());
    }

    /// <summary>GETs an ingress path, e.g. an attach or output URL.</summary>
    internal async Task<IngressResponse> GetAsync(string path, CancellationToken ct = default)
    {
        using var timeout = WithDefaultTimeout(ct);
        return await Runtime.Ingress.GetFromIngressAsync(path, timeout.Token);
    }

    /// <summary>Waits for an invocation's result through <c>/restate/invocation/{id}/attach</c>.</summary>
    internal Task<IngressResponse> AttachAsync(string invocationId, CancellationToken ct = default) =>
        GetAsync($"/restate/invocation/{invocationId}/attach", ct);

    /// <summary>Asks the admin API to cancel an invocation (<c>PATCH /invocations/{id}/cancel</c>).</summary>
    public Task<HttpStatusCode> CancelInvocationAsync(string invocationId, CancellationToken ct = default) =>
        AdminPatchAsync($"invocations/{invocationId}/cancel", ct);

    /// <summary>Asks the admin API to kill an invocation (<c>PATCH /invocations/{id}/kill</c>).</summary>
    public Task<HttpStatusCode> KillInvocationAsync(string invocationId, CancellationToken ct = default) =>
        AdminPatchAsync($"invocations/{invocationId}/kill", ct);

    /// <summary>The admin API's row of <c>sys_invocation</c> for an invocation, or null if it has none.</summary>
    public async Task<JsonObject?> InvocationStatusAsync(string invocationId, CancellationToken ct = default)
    {
        var rows = await Runtime.QueryAsync(
            $"select id, status, completion_result, completion_failure from sys_invocation where id = '{invocationId}'", ct);
        return rows.Count == 0 ? null : rows[0]!.AsObject();
    }

    private async Task<IngressResponse> PostAsync(string path, byte[]? body, string contentType, string? idempotencyKey,
        IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        using var timeout = WithDefaultTimeout(ct);
        var allHeaders = new Dictionary<string, string>(headers ?? new Dictionary<string, string>());
        if (idempotencyKey is not null)
        {
            allHeaders["idempotency-key"] = idempotencyKey;
        }
        return await Runtime.Ingress.PostToIngressAsync(path, body, contentType, allHeaders, timeout.Token);
    }

    private async Task<HttpStatusCode> AdminPatchAsync(string path, CancellationToken ct)
    {
        using var timeout = WithDefaultTimeout(ct);
        using var request = new HttpRequestMessage(HttpMethod.Patch, path);
        using var response = await Runtime.Admin.SendAsync(request, timeout.Token);
        return response.StatusCode;
    }

    private static CancellationTokenSource WithDefaultTimeout(CancellationToken ct)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        return timeout;
    }
}
