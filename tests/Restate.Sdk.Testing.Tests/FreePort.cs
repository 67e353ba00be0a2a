using System.Net;
using System.Net.Sockets;

namespace Restate.Sdk.Testing.Tests;

internal static class FreePort
{
    /// <summary>A loopback port nothing listens on (at the time of the call).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
