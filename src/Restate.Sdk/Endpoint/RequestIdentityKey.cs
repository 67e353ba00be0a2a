namespace Restate.Sdk.Endpoint;

/// <summary>Request-identity public keys (<c>publickeyv1_…</c>), as <see cref="RestateEndpointBuilder.WithIdentityKeys"/> takes them.</summary>
public static class RequestIdentityKey
{
    /// <summary>
    /// Checks a key without building an endpoint, so that settings can be validated where they are read and the error
    /// can name the setting (a configuration key, an environment variable).
    /// </summary>
    /// <param name="publicKey">The key as configured; surrounding white space is ignored, as the endpoint does.</param>
    /// <param name="problem">Why it is not a usable key (empty, no <c>publickeyv1_</c> prefix, not base58, not 32 bytes); null when it is one.</param>
    /// <returns>Whether <see cref="RestateEndpointBuilder.Build"/> would accept the key.</returns>
    public static bool IsValid(string? publicKey, out string? problem)
    {
        problem = RequestIdentityVerifier.KeyProblem(publicKey);
        return problem is null;
    }
}
