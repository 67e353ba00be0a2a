using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Patterns.DataUpload;
using Patterns.ParallelizeWork;
using Patterns.Signals;
using Patterns.StatefulActors;
using Patterns.TaskQueue;

namespace Patterns.Tests;

/// <summary>
/// The examples' services with machines that take no time and crash once per operation (a test holds one with a gate instead), the data upload
/// scaled down to a fraction of a second, and a handle on the in-process systems of the newer patterns.
/// </summary>
public sealed class ShortTimingsFixture : PatternsFixtureBase
{
    /// <summary>How long an upload request waits for its upload.</summary>
    public static readonly TimeSpan UploadWaitLimit = TimeSpan.FromSeconds(1);

    /// <summary>How long the transfer of a megabyte takes: an upload of 20 MB takes twice the wait limit.</summary>
    public static readonly TimeSpan UploadTimePerMegabyte = TimeSpan.FromMilliseconds(100);

    public ShortTimingsFixture()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new PatternsOptions { MachineOperationTime = TimeSpan.Zero, MachineCrashes = 1 });
        Machines = new InMemoryMachineOperations(options, NullLogger<InMemoryMachineOperations>.Instance);
        MachineGates = new GatedMachineOperations(Machines);
    }

    /// <summary>The machines the operators work on, with their histories.</summary>
    public InMemoryMachineOperations Machines { get; }

    /// <summary>The gates in front of the machines.</summary>
    public GatedMachineOperations MachineGates { get; }

    /// <summary>What the task queue's worker executed.</summary>
    public InMemoryTaskExecutor Tasks { get; } = new(NullLogger<InMemoryTaskExecutor>.Instance);

    /// <summary>The chunks the fan-out's sub-tasks processed.</summary>
    public InMemoryChunkProcessor Chunks { get; } = new(NullLogger<InMemoryChunkProcessor>.Instance);

    /// <summary>The uploads' storage and mail.</summary>
    public InMemoryUploadTools Uploads { get; } = new(NullLogger<InMemoryUploadTools>.Instance);

    /// <summary>The payment provider, with the webhook events it would send.</summary>
    public InMemoryPaymentProvider PaymentProvider { get; } = new(NullLogger<InMemoryPaymentProvider>.Instance);

    protected override TimeSpan PaymentExpiry => TimeSpan.FromHours(1);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Configure<PatternsOptions>(options =>
        {
            options.UploadWaitLimit = UploadWaitLimit;
            options.UploadTimePerMegabyte = UploadTimePerMegabyte;
        });
        services.AddSingleton<IMachineOperations>(MachineGates);
        services.AddSingleton<ITaskExecutor>(Tasks);
        services.AddSingleton<IChunkProcessor>(Chunks);
        services.AddSingleton<IUploadTools>(Uploads);
        services.AddSingleton<IPaymentProvider>(PaymentProvider);
    }
}
