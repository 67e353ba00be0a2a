using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// One function of <c>Restate.Sdk.TestServices</c> (started with <paramref name="mode"/>) in the Lambda emulator,
/// registered with the real restate-server (which retries after 20-100 ms); the function logs its side effects to
/// <see cref="SideEffects"/>. The fixtures of the Lambda tests differ only in the function they run.
/// </summary>
/// <param name="functionName">The registered function's name.</param>
/// <param name="mode">The test services' command-line mode, e.g. <c>lambda</c>.</param>
public abstract class LambdaTestServicesFixture(string functionName, string mode) : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory($"restate-sdk-{mode}-it-").FullName;
    private LambdaEmulator? _lambda;

    /// <summary>The emulator, for functions a test adds itself (see <see cref="FunctionDefinition"/>).</summary>
    public LambdaEmulator Lambda => _lambda ?? throw new InvalidOperationException("The Lambda emulator is not started.");

    public RestateServer Server { get; private set; } = null!;

    public SideEffectLog SideEffects { get; private set; } = null!;

    /// <summary>The registered function; its <see cref="LambdaFunction.RecentLog"/> is what Lambda would send to CloudWatch.</summary>
    public LambdaFunction Function { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SideEffects = new SideEffectLog(Path.Combine(_workDir, "side-effects.log"));
        _lambda = await LambdaEmulator.StartAsync();
        Function = _lambda.AddFunction(FunctionDefinition(functionName, []));
        var environment = new Dictionary<string, string>(_lambda.ClientEnvironment)
        {
            ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "20ms",
            ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "100ms",
        };
        Server = await RestateServer.StartAsync(new RestateServerOptions { Environment = environment });
        await Server.RegisterLambdaAsync(Function.Definition.QualifiedArn);
    }

    /// <summary>A function running the same test services, with more environment variables.</summary>
    public LambdaFunctionDefinition FunctionDefinition(string name, Dictionary<string, string> environment) => new()
    {
        Name = name,
        StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.TestServices.dll"), mode),
        Environment = new Dictionary<string, string>(environment) { [SideEffectLog.PathVariable] = SideEffects.Path },
    };

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_lambda is not null)
        {
            await _lambda.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
    }
}
