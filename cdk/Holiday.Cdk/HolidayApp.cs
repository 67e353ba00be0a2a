using Amazon.CDK;

namespace Holiday.Cdk;

/// <summary>The app's two stacks, built from the CDK context: <c>[prefix-]RestateStack</c> and <c>[prefix-]HolidayStack</c>.</summary>
public static class HolidayApp
{
    /// <summary>Reads the context of <paramref name="app"/> and adds both stacks to it.</summary>
    /// <exception cref="DeploymentContextException">A context key is missing or malformed, or publishing an asset failed.</exception>
    /// <param name="app">The app.</param>
    /// <param name="repositoryRoot">Where <c>src/</c> is, for the assets synth publishes; the working directory when null.</param>
    public static (RestateStack Restate, HolidayStack Holiday) Build(App app, string? repositoryRoot = null)
    {
        ArgumentNullException.ThrowIfNull(app);

        var context = DeploymentContext.Read(key => app.Node.TryGetContext(key));
        if (repositoryRoot is not null)
        {
            context = context with { RepositoryRoot = repositoryRoot };
        }
        // Environment-agnostic stacks: no lookups, so `cdk synth` needs no AWS credentials or network.
        var restate = new RestateStack(app, context.StackName("RestateStack"), context, new StackProps
        {
            Description = context.Mode == DeploymentMode.Cloud
                ? "Restate Cloud environment reference and the role it assumes to invoke the Holiday functions"
                : "restate-server on ECS Fargate (EFS journal, load balancers, CloudWatch logs, X-Ray traces)",
        });
        var bundlers = new List<AotPublishBundling>();
        try
        {
            var holiday = new HolidayStack(app, context.StackName("HolidayStack"), context, restate.RestateEnvironment, new StackProps
            {
                Description = "Holiday services: DynamoDB tables, SQS notifications, Native AOT Lambda functions, Restate registration",
            }, bundlers);
            return (restate, holiday);
        }
        catch (Exception e) when (bundlers.Select(b => b.Failure).FirstOrDefault(f => f is not null) is { } failure)
        {
            // CDK bundles when a function binds its code; the bundler's exception comes back through the jsii runtime
            // wrapped in CDK's own message, so report the sentence the bundler recorded.
            throw new DeploymentContextException(failure, e);
        }
    }
}
