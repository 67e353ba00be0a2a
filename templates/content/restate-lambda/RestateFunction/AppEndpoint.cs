using Restate.Sdk.Endpoint;
using Restate.Sdk.Lambda;

namespace RestateFunction;

/// <summary>What this function serves, shared by <c>Program.cs</c> and the tests.</summary>
public static class AppEndpoint
{
    // RESTATE_IDENTITY_KEYS (comma-separated publickeyv1_…) makes the function accept only requests signed by your
    // Restate server; unset, it accepts any request that reaches it.
    public static RestateEndpointBuilder Configure(RestateEndpointBuilder endpoint) => endpoint
        .Bind(Counter.Definition())
        .WithIdentityKeysFromEnvironment();
}
