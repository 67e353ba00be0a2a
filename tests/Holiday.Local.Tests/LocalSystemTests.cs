using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holiday.Local.Tests;

public sealed class LocalSystemTests
{
    [Fact]
    public async Task StartAsync_FreePorts_ServesWhatTheCurlLinesCall()
    {
        var options = new LocalRunOptions(FreePort(), FreePort(), FreePort());
        await using var system = await LocalSystem.StartAsync(options, _ => { }, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = system.IngressUri };

        using var greet = await http.PostAsync("/Greeter/greet", Json("\"Ada\""));
        using var add = await http.PostAsync("/Counter/ada/add", Json("5"));
        using var get = await http.PostAsync("/Counter/ada/get", null);

        Assert.Equal("\"Hello Ada!\"", await greet.Content.ReadAsStringAsync());
        Assert.Equal("5", await add.Content.ReadAsStringAsync());
        Assert.Equal("5", await get.Content.ReadAsStringAsync());
        Assert.All(system.CurlLines(), line => Assert.Contains($"127.0.0.1:{options.IngressPort}/", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ServicePortTaken_FailsNamingThePortAndStartsNothing()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalSystem.StartAsync(new LocalRunOptions(FreePort(), FreePort(), port), _ => { }, CancellationToken.None));

        Assert.Contains($"service port {port} is already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_IngressPortTaken_FailsNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalSystem.StartAsync(new LocalRunOptions(port, FreePort(), FreePort()), _ => { }, CancellationToken.None));

        Assert.Contains($"ingress port {port} is already in use", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--ingress-port", "http" }, "needs a port number from 1 to 65535, not 'http'")]
    [InlineData(new[] { "--admin-port", "70000" }, "needs a port number from 1 to 65535")]
    [InlineData(new[] { "--service-port" }, "Option --service-port needs a port number.")]
    [InlineData(new[] { "--verbose" }, "Unknown option '--verbose'.")]
    [InlineData(new[] { "--admin-port", "8080" }, "must differ")]
    public void TryParse_BadArguments_ExplainsTheProblem(string[] args, string message)
    {
        Assert.False(LocalRunOptions.TryParse(args, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NoArguments_UsesTheDocumentedDefaultPorts()
    {
        Assert.True(LocalRunOptions.TryParse([], out var options, out _));
        Assert.Equal(new LocalRunOptions(8080, 9070, 9080), options);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
