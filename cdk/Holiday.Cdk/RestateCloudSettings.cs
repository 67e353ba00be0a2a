namespace Holiday.Cdk;

/// <summary>A Restate Cloud environment, from the <c>cloud*</c> and <c>authTokenSecretArn</c> context keys.</summary>
/// <param name="EnvironmentId">The environment id, <c>env_…</c>.</param>
/// <param name="Region">The Restate Cloud region, <c>us</c> or <c>eu</c>.</param>
/// <param name="AuthTokenSecretArn">The complete ARN of the Secrets Manager secret holding an admin API key.</param>
/// <param name="AuthTokenSecretName">The secret's name: the ARN's last part without the six-character suffix.</param>
public sealed record RestateCloudSettings(string EnvironmentId, string Region, string AuthTokenSecretArn, string AuthTokenSecretName)
{
    /// <summary>The secret's region: Parameter Store reads it only from a stack in the same region.</summary>
    public string AuthTokenSecretRegion => DeploymentContext.RegionOfArn(AuthTokenSecretArn);

    /// <summary>The Parameter Store name that reads the secret (the registrar has no Secrets Manager client).</summary>
    public string AuthTokenParameter => "/aws/reference/secretsmanager/" + AuthTokenSecretName;

    // The URL scheme of Restate Cloud, as Restate's official CDK construct for a cloud environment builds it. Its host
    // is the environment id without "env_" under env.<region>.restate.cloud; its admin endpoint carries port 9070 and
    // its ingress endpoint no port at all (plain HTTPS, 443).
    private string Host => $"{EnvironmentId["env_".Length..]}.env.{Region}.restate.cloud";

    /// <summary>The admin API: <c>https://&lt;id&gt;.env.&lt;region&gt;.restate.cloud:9070</c>.</summary>
    public string AdminUrl => $"https://{Host}:9070";

    /// <summary>The ingress: <c>https://&lt;id&gt;.env.&lt;region&gt;.restate.cloud</c> (port 443).</summary>
    public string IngressUrl => $"https://{Host}";
}
