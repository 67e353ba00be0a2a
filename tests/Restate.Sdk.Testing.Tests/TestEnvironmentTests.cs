using System.Collections.Concurrent;
using System.Net.Sockets;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Testing.Tests;

public sealed class TestEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_WithADefinition_HostsRegistersAndCallsThroughTheGeneratedIngressClient()
    {
        await using var restate = await RestateTestEnvironment.StartAsync(KitCounter.Definition());
        var counter = restate.Client.ObjectClient<KitCounterIngressClient>("a");

        var first = await counter.AddAsync(5);
        var second = await counter.AddAsync(2);

        Assert.Equal((5, 7), (first, second));
        Assert.Equal(7, await restate.GetStateAsync("KitCounter", "a", KitCounter.Count));
        Assert.StartsWith("dp_", restate.DeploymentId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStateAsync_RecordBytesAndAbsentKeys_ReadWhatTheHandlersWrote()
    {
        await using var restate = await RestateTestEnvironment.StartAsync(KitCounter.Definition());

        await restate.Client.ObjectClient<KitCounterIngressClient>("b").MoveAsync(new Address("Main St 1", "Zürich"));

        Assert.Equal(new Address("Main St 1", "Zürich"), await restate.GetStateAsync("KitCounter", "b", KitCounter.Home));
        Assert.Equal(new byte[] { 0x00, 0xff, 0x10, 0x80 }, await restate.GetStateAsync("KitCounter", "b", KitCounter.Blob));
        Assert.Equal(0, await restate.GetStateAsync("KitCounter", "b", KitCounter.Count));
        Assert.Equal(["blob", "home"], (await restate.GetAllStateAsync("KitCounter", "b")).Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await restate.GetAllStateAsync("KitCounter", "nobody's"));
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream, false, "BidiStream", 1)]
    [InlineData(ProtocolMode.BidiStream, true, "BidiStream", 2)]
    [InlineData(ProtocolMode.RequestResponse, false, "RequestResponse", 2)]
    public async Task StartAsync_WithOptions_RegistersInThatModeAndSuspendsAsAsked(ProtocolMode mode, bool alwaysSuspend, string protocol, int attempts)
    {
        var lines = new ConcurrentQueue<string>();
        var counter = new AttemptCounter();
        var options = new RestateTestOptions
        {
            ProtocolMode = mode,
            AlwaysSuspend = alwaysSuspend,
            Log = line =>
            {
                lines.Enqueue(line);
                output.WriteLine(line);
            },
        };
        await using var restate = await RestateTestEnvironment.StartAsync(
            endpoint => endpoint.Bind(KitCounter.Definition()).WithInterceptor(counter), options);

        var total = await restate.Client.ObjectClient<KitCounterIngressClient>("c").AddAsync(3);
        var deployment = await TestSupport.GetJsonAsync(restate.Server.Admin, $"deployments/{restate.DeploymentId}");

        Assert.Equal(3, total);
        Assert.Equal(protocol, (string?)deployment["protocol_type"]);
        // The sleep in add ends the first attempt only where every await suspends; the replay is a second attempt.
        Assert.Equal(attempts, counter.Attempts);
        Assert.Contains("info Restate.Handler.KitCounter: counter c is at 3", lines);
        Assert.Contains(lines, line => line.Contains("Starting Restate Server", StringComparison.Ordinal));
    }

    private sealed class AttemptCounter : RestateInterceptor
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public override Task InterceptAttemptAsync(Context attempt, Func<Task> proceed)
        {
            ArgumentNullException.ThrowIfNull(proceed);
            Interlocked.Increment(ref _attempts);
            return proceed();
        }
    }

    [Fact]
    public async Task DisposeAsync_StopsTheServicesAndTheServer()
    {
        var restate = await RestateTestEnvironment.StartAsync(KitCounter.Definition());
        var pid = Assert.IsType<RestateServer>(restate.Server).ProcessId;
        var services = restate.DeploymentUri;

        await restate.DisposeAsync();

        Assert.False(TestSupport.ProcessExists(pid));
        using var tcp = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync(services.Host, services.Port));
    }

    [Fact]
    public async Task StartAsync_NoServices_SaysWhatIsMissingBeforeStartingAServer()
    {
        var none = Assert.Throws<ArgumentException>(() => { _ = RestateTestEnvironment.StartAsync(); });
        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => RestateTestEnvironment.StartAsync(_ => { }));

        Assert.StartsWith("Give at least one service definition to host", none.Message, StringComparison.Ordinal);
        Assert.Equal("Bind at least one service before building the endpoint.", empty.Message);
    }

    [Fact]
    public async Task GetStateAsync_UnknownServiceOrType_NamesTheProblem()
    {
        await using var restate = await RestateTestEnvironment.StartAsync(KitCounter.Definition());

        var service = await Assert.ThrowsAsync<ArgumentException>(() => restate.GetStateAsync("Nope", "a", KitCounter.Count));
        var type = await Assert.ThrowsAsync<InvalidOperationException>(() => restate.GetStateAsync("KitCounter", "a", new StateKey<Uri>("uri")));

        Assert.StartsWith("Service 'Nope' is not bound to this endpoint (bound: KitCounter)", service.Message, StringComparison.Ordinal);
        Assert.StartsWith("No serializer for Uri (a value of service 'KitCounter')", type.Message, StringComparison.Ordinal);
    }
}
