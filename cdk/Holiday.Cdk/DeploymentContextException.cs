namespace Holiday.Cdk;

/// <summary>The CDK context is missing a key or holds a value the app cannot use; the message names the key.</summary>
public sealed class DeploymentContextException : Exception
{
    public DeploymentContextException()
    {
    }

    public DeploymentContextException(string message) : base(message)
    {
    }

    public DeploymentContextException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
