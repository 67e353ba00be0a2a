using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Registrar.Tests;

/// <summary>
/// The real parts, shared by one test class: restate-server and the Lambda emulator it invokes for discovery and
/// invocations (running the echo function, which answers <c>/discover</c>, and the pinned function, a real Restate
/// service on the Lambda runtime).
/// </summary>
public sealed class RegistrarFixture : IAsyncLifetime
{
    private static readonly string EchoAssembly = Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.Testing.EchoFunction.dll");
    private static readonly string PinnedAssembly = Path.Combine(AppContext.BaseDirectory, "Holiday.Registrar.Tests.PinnedFunction.dll");

    private ITestOutputHelper? _output;

    internal LambdaEmulator Lambda { get; private set; } = null!;

    internal RestateServer Restate { get; private set; } = null!;

    /// <summary>Where server and emulator output goes: the running test's output.</summary>
    internal ITestOutputHelper? Output
    {
        set => Volatile.Write(ref _output, value);
    }

    public async Task InitializeAsync()
    {
        Lambda = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions { Log = Log });
        Restate = await RestateServer.StartAsync(ServerOptions());
    }

    public async Task DisposeAsync()
    {
        // Restate first: it must not invoke functions the emulator is tearing down.
        if (Restate is not null)
        {
            await Restate.DisposeAsync();
        }
        if (Lambda is not null)
        {
            await Lambda.DisposeAsync();
        }
    }

    /// <summary>A new emulated function answering discovery; <paramref name="versions"/> are its qualifiers (the first is its version).</summary>
    /// <returns>The qualified ARNs, one per version.</returns>
    internal IReadOnlyList<string> AddEchoFunction(string name, params string[] versions)
    {
        versions = versions.Length == 0 ? ["1"] : versions;
        var function = Lambda.AddFunction(new LambdaFunctionDefinition
        {
            Name = name,
            Version = versions[0],
            Aliases = versions[1..],
            StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(EchoAssembly),
        });
        return function.Arns;
    }

    /// <summary>
    /// A new emulated function serving a real Restate service named <paramref name="serviceName"/> (handlers
    /// <c>wait</c>, which suspends for an hour, and <c>hello</c>).
    /// </summary>
    /// <returns>The qualified ARN of version 1.</returns>
    internal string AddPinnedFunction(string name, string serviceName) =>
        Lambda.AddFunction(new LambdaFunctionDefinition
        {
            Name = name,
            StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(PinnedAssembly),
            Environment = new Dictionary<string, string> { ["SERVICE_NAME"] = serviceName },
        }).QualifiedArn;

    /// <summary>The environment a restate-server needs to invoke this fixture's emulated functions.</summary>
    internal IReadOnlyDictionary<string, string> ServerEnvironment => new Dictionary<string, string>(Lambda.ClientEnvironment);

    /// <summary>The deployments restate-server knows: id and ARN of each.</summary>
    internal async Task<IReadOnlyList<(string Id, string? Arn)>> DeploymentsAsync()
    {
        using var response = await Restate.Admin.GetAsync(new Uri("deployments", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /deployments: {(int)response.StatusCode} {text}");
        var deployments = Assert.IsType<JsonArray>(JsonNode.Parse(text)?["deployments"]);
        return [.. deployments.Select(deployment => ((string)deployment!["id"]!, (string?)deployment["arn"]))];
    }

    /// <summary>Options for a restate-server that can invoke this fixture's functions, logging to the running test.</summary>
    internal RestateServerOptions ServerOptions(int adminPort = 0) => new()
    {
        Log = Log,
        Environment = ServerEnvironment,
        AdminPort = adminPort,
    };

    /// <summary>A loopback URL nothing listens on: the port was free a moment ago.</summary>
    internal static Uri UnreachableUrl() => new($"http://127.0.0.1:{FreePort()}/");

    /// <summary>A loopback port that was free a moment ago.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Log(string line)
    {
        try
        {
            Volatile.Read(ref _output)?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // No test is running (output after it finished).
        }
    }
}
