namespace Holiday.Cdk;

/// <summary>Where restate-server runs.</summary>
public enum DeploymentMode
{
    /// <summary>restate-server on ECS Fargate in this account (<c>deploymentMode=self-hosted</c>, the default).</summary>
    SelfHosted,

    /// <summary>An existing Restate Cloud environment (<c>deploymentMode=cloud</c>).</summary>
    Cloud,
}
