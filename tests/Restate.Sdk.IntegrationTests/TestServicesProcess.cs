using System.Diagnostics;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>The test services in their own process, so a test can kill it like a crash would.</summary>
public sealed class TestServicesProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TestServicesProcess(Process process, int http2Port)
    {
        _process = process;
        Http2Uri = new Uri($"http://127.0.0.1:{http2Port}/");
    }

    public Uri Http2Uri { get; }

    public static async Task<TestServicesProcess> StartAsync(string sideEffectLog, int http2Port, int http1Port)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.TestServices.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly, http2Port.ToString(System.Globalization.CultureInfo.InvariantCulture), http1Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[SideEffectLog.PathVariable] = sideEffectLog;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the test services process.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening", StringComparison.Ordinal))
            {
                return new TestServicesProcess(process, http2Port);
            }
        }
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        throw new InvalidOperationException($"The test services process exited before listening: {error}");
    }

    /// <summary>SIGKILL: no shutdown, in-flight requests die with the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
