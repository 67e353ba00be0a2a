using Amazon.CDK;

namespace Holiday.Cdk;

/// <summary>Where the app is built from and for: the repository to publish and the region synth targets.</summary>
/// <param name="RepositoryRoot">The folder holding <c>src/</c>.</param>
/// <param name="Region">The target region when known; null: environment-agnostic stacks.</param>
public sealed record HolidayAppSettings(string RepositoryRoot, string? Region)
{
    /// <summary>
    /// The working directory (the CDK CLI runs the app from cdk.json's folder) and <c>CDK_DEFAULT_REGION</c>, which the
    /// CLI sets from <c>AWS_REGION</c> or the profile's region, without credentials or network.
    /// </summary>
    public static HolidayAppSettings FromEnvironment() =>
        new(Directory.GetCurrentDirectory(), System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"));
}

/// <summary>The app's two stacks, built from the CDK context: <c>[prefix-]RestateStack</c> and <c>[prefix-]HolidayStack</c>.</summary>
public static class HolidayApp
{
    /// <summary>Reads the context of <paramref name="app"/> and adds both stacks to it.</summary>
    /// <exception cref="DeploymentContextException">A context key is missing or malformed, or publishing an asset failed.</exception>
    /// <param name="app">The app.</param>
    /// <param name="settings">Where from and for; <see cref="HolidayAppSettings.FromEnvironment"/> when null.</param>
    public static (RestateStack Restate, HolidayStack Holiday) Build(App app, HolidayAppSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        settings ??= HolidayAppSettings.FromEnvironment();

        var context = DeploymentContext.Read(key => app.Node.TryGetContext(key), settings.Region) with { RepositoryRoot = settings.RepositoryRoot };
        // No lookups: `cdk synth` needs no AWS credentials or network. A known region makes region-dependent choices at
        // synth; without one, the stacks stay environment-agnostic and CloudFormation makes them.
        var environment = context.Region is { } region ? new Amazon.CDK.Environment { Region = region } : null;
        var restate = new RestateStack(app, context.StackName("RestateStack"), new RestateStackProps
        {
            Env = environment,
            Description = context.Mode == DeploymentMode.Cloud
                ? "Restate Cloud environment reference and the role it assumes to invoke the Holiday functions"
                : "restate-server on ECS Fargate (EFS journal, load balancers, CloudWatch logs, X-Ray traces)",
            SelfHosted = context.Mode == DeploymentMode.SelfHosted
                ? new RestateServerOnEcsProps
                {
                    RestateImage = context.RestateImage,
                    AdotImage = context.AdotImage,
                    CertificateArn = context.CertificateArn,
                    IngressAllowedCidr = context.IngressAllowedCidr,
                    LogGroupName = context.RestateLogGroupName,
                    LogRetention = context.LogRetention,
                    RetainData = context.RetainData,
                }
                : null,
            Cloud = context.Cloud,
        });

        BootstrapAsset? functionCode = null, registrarCode = null;
        try
        {
            // A container build runs `docker build` for its image right here, the publish when a function binds its code.
            functionCode = Asset(context, context.LambdaAssetPath, DeploymentContext.LambdaAssetPathKey, DeploymentContext.LambdaProject);
            registrarCode = Asset(context, context.RegistrarAssetPath, DeploymentContext.RegistrarAssetPathKey, DeploymentContext.RegistrarProject);
            var holiday = new HolidayStack(app, context.StackName("HolidayStack"), new HolidayStackProps
            {
                Env = environment,
                Description = "Holiday services: DynamoDB tables, SQS notifications, Native AOT Lambda functions, Restate registration",
                Restate = restate.RestateEnvironment,
                FunctionCode = functionCode.Code,
                RegistrarCode = registrarCode.Code,
                TraceExport = context.LambdaTracing,
                CollectorLayerArn = context.LambdaCollectorLayerArn,
                LogRetention = context.LogRetention,
                RetainData = context.RetainData,
                RestateLogGroupName = context.Mode == DeploymentMode.SelfHosted ? context.RestateLogGroupName : null,
            });
            return (restate, holiday);
        }
        catch (Exception e) when ((functionCode?.PublishFailure ?? registrarCode?.PublishFailure) is { } failure)
        {
            // CDK publishes when a function binds its code; the bundler's exception comes back through the jsii runtime
            // wrapped in CDK's own message, so report the sentence the bundler recorded.
            throw new DeploymentContextException(failure, e);
        }
        catch (Exception e) when (e is not DeploymentContextException && context.BootstrapBuild == BootstrapBuild.Container && e.Message.Contains("docker", StringComparison.Ordinal))
        {
            // CDK runs docker itself and has printed its output; what is left to say is what the route needs.
            var reason = e.Message.Split('\n')[0].Replace("Error: ", "", StringComparison.Ordinal).Trim();
            throw new DeploymentContextException(
                $"Publishing the bootstraps in the Amazon Linux 2023 build container ({BootstrapAsset.BuildImageFolder}) failed ({reason}; docker's output is above): " +
                $"-c {DeploymentContext.BootstrapBuildKey}={DeploymentContext.ContainerBuildName} needs a running Docker engine (`docker info` must succeed), " +
                $"or publish on Linux x64 and pass -c {DeploymentContext.LambdaAssetPathKey}=<folder> -c {DeploymentContext.RegistrarAssetPathKey}=<folder>.", e);
        }
    }

    /// <summary>A pre-published folder when its context key names one; otherwise the project, published during synth.</summary>
    private static BootstrapAsset Asset(DeploymentContext context, string? folder, string contextKey, string project) =>
        folder is not null
            ? BootstrapAsset.FromFolder(contextKey, folder)
            : BootstrapAsset.FromProject(context.RepositoryRoot, project, contextKey, context.BootstrapBuild);
}
