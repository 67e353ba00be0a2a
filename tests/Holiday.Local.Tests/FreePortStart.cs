using System.Net;
using System.Net.Sockets;

namespace Holiday.Local;

/// <summary>
/// Starts the local system on ports picked free, for tests that run beside others (compiled into Holiday.Local.Tests and
/// Holiday.Tests). A port found free can still be taken before the system binds it, by a parallel test or as the
/// ephemeral port of any outgoing connection (they come from the same range); the start then fails naming the taken
/// port, and is tried again with freshly picked ports.
/// </summary>
internal static class FreePortStart
{
    private const int MaxAttempts = 3;

    /// <summary>Starts with the options <paramref name="pickOptions"/> makes, picking again after a port race.</summary>
    public static async Task<LocalSystem> StartAsync(Func<LocalRunOptions> pickOptions)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await LocalSystem.StartAsync(pickOptions(), _ => { }, CancellationToken.None);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is InvalidOperationException or IOException
                && e.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took one of the picked ports in between: pick again.
            }
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int Port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
