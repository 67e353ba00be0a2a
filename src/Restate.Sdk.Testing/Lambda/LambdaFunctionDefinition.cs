using System.Diagnostics;

namespace Restate.Sdk.Testing.Lambda;

/// <summary>
/// A function for <see cref="LambdaEmulator.AddFunction(LambdaFunctionDefinition)"/>: what a Lambda function
/// configuration says (name, version, region, memory, timeout, environment, handler) plus how to start its runtime
/// process locally. Set exactly one of <see cref="ExecutablePath"/> and <see cref="StartInfoFactory"/>.
/// </summary>
public sealed record LambdaFunctionDefinition
{
    /// <summary>The function name (1–64 letters, digits, <c>-</c> or <c>_</c>).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The version the function is published as, the qualifier of <see cref="QualifiedArn"/>. Defaults to <c>1</c>;
    /// <c>$LATEST</c> is allowed too. Passed to the process as <c>AWS_LAMBDA_FUNCTION_VERSION</c>.
    /// </summary>
    public string Version { get; init; } = "1";

    /// <summary>
    /// Further qualifiers (aliases such as <c>live</c>, or other versions) whose qualified ARNs also invoke this
    /// function. Empty by default.
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The region in the ARNs, and <c>AWS_REGION</c> of the process. Defaults to <c>us-east-1</c>.</summary>
    public string Region { get; init; } = LambdaArn.DefaultRegion;

    /// <summary>The account id in the ARNs. Defaults to <c>123456789012</c>.</summary>
    public string AccountId { get; init; } = LambdaArn.DefaultAccountId;

    /// <summary>
    /// The runtime executable to start for each instance, e.g. a Native AOT <c>bootstrap</c>. It runs with no
    /// arguments and with its own folder as working directory (unless <see cref="TaskRoot"/> says otherwise).
    /// </summary>
    public string? ExecutablePath { get; init; }

    /// <summary>
    /// Creates the start info for each instance, for runtimes that need a launcher, e.g.
    /// <see cref="DotnetAssembly(string, string[])"/> (<c>dotnet app.dll</c>). The emulator sets <c>UseShellExecute</c>,
    /// redirects stdout and stderr, and adds the Lambda environment to <see cref="ProcessStartInfo.Environment"/>;
    /// the factory's own environment entries are kept unless a Lambda variable overrides them.
    /// </summary>
    public Func<ProcessStartInfo>? StartInfoFactory { get; init; }

    /// <summary>
    /// Environment variables of the function configuration. They override the emulator's defaults (dummy AWS
    /// credentials, <c>TZ</c>, log group names), but not the reserved variables that come from this definition:
    /// <c>AWS_LAMBDA_FUNCTION_NAME</c>, <c>AWS_LAMBDA_FUNCTION_VERSION</c>, <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>,
    /// <c>AWS_REGION</c>, <c>_HANDLER</c>, <c>LAMBDA_TASK_ROOT</c> and <c>AWS_LAMBDA_RUNTIME_API</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Maximum run time of one invocation, counted from the moment the runtime receives the event (as in Lambda,
    /// start-up is not included). Past it the invocation fails with <c>Sandbox.Timedout</c> and the instance is
    /// killed. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Maximum time from process start to the runtime's first <c>GET /runtime/invocation/next</c>. Past it the
    /// pending invocation fails and the instance is killed. Defaults to 10 seconds, Lambda's init limit.
    /// </summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Passed as <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>; nothing is enforced. Defaults to 128 (MB).</summary>
    public int MemorySizeMb { get; init; } = 128;

    /// <summary>Passed as <c>_HANDLER</c>. Defaults to <c>bootstrap</c>.</summary>
    public string Handler { get; init; } = "bootstrap";

    /// <summary>
    /// Passed as <c>LAMBDA_TASK_ROOT</c>. When null: the start info's working directory, else the folder of
    /// <see cref="ExecutablePath"/>, else <see cref="AppContext.BaseDirectory"/>. It is also the working directory
    /// when the start info does not set one.
    /// </summary>
    public string? TaskRoot { get; init; }

    /// <summary>The qualified ARN for <see cref="Version"/>: register this one with restate-server.</summary>
    public string QualifiedArn => LambdaArn.Qualified(Name, Version, Region, AccountId);

    /// <summary>Every qualified ARN that invokes this function: <see cref="QualifiedArn"/> and one per alias.</summary>
    public IReadOnlyList<string> Arns =>
        [QualifiedArn, .. Aliases.Select(alias => LambdaArn.Qualified(Name, alias, Region, AccountId))];

    /// <summary>
    /// A <see cref="StartInfoFactory"/> that runs a framework-dependent .NET assembly with the same <c>dotnet</c>
    /// host as the current process (<c>DOTNET_HOST_PATH</c>, else the current executable if it is <c>dotnet</c>,
    /// else <c>dotnet</c> on <c>PATH</c>).
    /// </summary>
    /// <param name="assemblyPath">The application's <c>.dll</c>; its <c>.runtimeconfig.json</c> must sit next to
    /// it.</param>
    /// <param name="arguments">Command-line arguments after the assembly.</param>
    /// <returns>The factory.</returns>
    public static Func<ProcessStartInfo> DotnetAssembly(string assemblyPath, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var fullPath = Path.GetFullPath(assemblyPath);
        var host = DotnetHost();
        return () =>
        {
            var start = new ProcessStartInfo(host) { WorkingDirectory = Path.GetDirectoryName(fullPath) ?? AppContext.BaseDirectory };
            start.ArgumentList.Add(fullPath);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            return start;
        };
    }

    private static string DotnetHost()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath
            && File.Exists(hostPath))
        {
            return hostPath;
        }

        var current = System.Environment.ProcessPath;
        return current is not null
            && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }
}
