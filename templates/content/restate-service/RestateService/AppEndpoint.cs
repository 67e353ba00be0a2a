using Restate.Sdk.Endpoint;

namespace RestateService;

/// <summary>What this app serves, shared by <c>Program.cs</c> and the tests.</summary>
public static class AppEndpoint
{
    public static RestateEndpointBuilder Configure(RestateEndpointBuilder endpoint) => endpoint
        .Bind(Counter.Definition())
        .Bind(Greeter.Definition())
        .WithIdentityKeys(IdentityKeys());

    // Set RESTATE_IDENTITY_KEYS (comma-separated publickeyv1_…) to accept only requests signed by your Restate server.
    private static string[] IdentityKeys() =>
        (Environment.GetEnvironmentVariable("RESTATE_IDENTITY_KEYS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
