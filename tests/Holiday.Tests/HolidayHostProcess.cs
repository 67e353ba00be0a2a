using System.Diagnostics;
using System.Globalization;

namespace Holiday.Tests;

/// <summary>The Holiday host as its own process (the published entry point), so a test can SIGKILL it like a crash.</summary>
public sealed class HolidayHostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HolidayHostProcess(Process process) => _process = process;

    public static async Task<HolidayHostProcess> StartAsync(int port, Uri dynamoEndpoint)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Holiday.Host.dll") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoEndpoint.ToString();
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Holiday.Host.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening on", StringComparison.Ordinal))
            {
                return new HolidayHostProcess(process);
            }
        }
        throw new InvalidOperationException($"Holiday.Host exited before listening: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
    }

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
