using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.LoadTest.Targets;

/// <summary>
/// The TypeScript original, restatedev/restate-holiday, from a checkout outside the repository: <c>node
/// dist/index.js</c>, the esbuild bundle of <c>src/app.ts</c> that its own <c>npm run bundle</c> makes. It binds the
/// four services on port 9080 (fixed in <c>src/app.ts</c>) and reaches DynamoDB through <c>AWS_ENDPOINT</c> and the
/// <c>*_TABLE_NAME</c> variables; with <c>SNS_TOPIC</c> unset a successful trip publishes nothing.
/// </summary>
internal sealed class TsHolidayTarget(string directory) : LoadTarget
{
    /// <summary>The bundle, relative to the checkout.</summary>
    public const string Bundle = "dist/index.js";

    /// <summary><c>restate.endpoint()…listen(9080)</c> in <c>src/app.ts</c>.</summary>
    public const int Port = 9080;

    /// <summary>Its three tables, each keyed <c>pk</c> (S, HASH) + <c>sk</c> (S, RANGE) as its CDK stack creates them.</summary>
    private static readonly (string Variable, string Table)[] Tables =
    [
        ("FLIGHTS_TABLE_NAME", "TsFlights"),
        ("CARS_TABLE_NAME", "TsCars"),
        ("PAYMENTS_TABLE_NAME", "TsPayments"),
    ];

    public override string Name => TargetNames.TypeScript;

    public override string ServiceProcessName => "restate-holiday dist/index.js (node)";

    public override bool UsesDynamoDb => true;

    public static string BundlePath(string directory) => Path.Combine(directory, Bundle);

    protected override async Task<(ManagedProcess Process, Uri Endpoint)> StartServiceAsync(DynamoDbLocal? dynamoDb, CancellationToken ct)
    {
        using (var client = dynamoDb!.CreateClient())
        {
            foreach (var (_, table) in Tables)
            {
                await TsHolidayCheckout.CreateTableAsync(client, table, ct);
            }
        }

        EnsurePortFree();
        var endpoint = new Uri($"http://127.0.0.1:{Port}/");
        ManagedProcess? process = null;
        process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = this,
            DisplayName = "TypeScript Holiday (node)",
            CreateStartInfo = () => CreateStartInfo(dynamoDb.Endpoint),
            StartFailed = e => new InvalidOperationException($"Could not run node ({e.Message}); the ts target needs Node.js 20+ on PATH.", e),
            CreateReadiness = () => new ManagedProcessReadiness(_ => Task.FromResult(Accepts()),
                pid => new TimeoutException($"The TypeScript Holiday (pid {pid}) did not listen on port {Port} in time.{process!.FormatRecentLog()}")),
            ExitedDuringStart = (pid, exitCode) => new InvalidOperationException(
                $"The TypeScript Holiday (pid {pid}, node {BundlePath(directory)}) exited with code {exitCode} during start-up.{process!.FormatRecentLog()}"),
            StartupTimeout = TimeSpan.FromSeconds(30),
            IsAddressInUseLine = line => line.Contains("EADDRINUSE", StringComparison.Ordinal),
        });
        try
        {
            await process.StartAsync(ct);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return (process, endpoint);
    }

    private ProcessStartInfo CreateStartInfo(Uri dynamoDbEndpoint)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true, // never the terminal's stdin
            ArgumentList = { BundlePath(directory) },
        };
        start.Environment.Remove("SNS_TOPIC");
        start.Environment["AWS_ENDPOINT"] = dynamoDbEndpoint.ToString();
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        foreach (var (variable, table) in Tables)
        {
            start.Environment[variable] = table;
        }

        return start;
    }

    /// <summary>Node binds 9080 on all interfaces; a listener there already would make it fail at start.</summary>
    private static void EnsurePortFree()
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, Port);
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"Port {Port} is in use, and the TypeScript Holiday listens there (fixed in its src/app.ts). Stop what uses it (e.g. ./dev run) and try again.", e);
        }
    }

    private static bool Accepts()
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
