using Patterns.DataUpload;
using Patterns.DurableRpc;
using Patterns.EventEnrichment;
using Patterns.EventProcessing;
using Patterns.ParallelizeWork;
using Patterns.PaymentStateMachine;
using Patterns.Sagas;
using Patterns.Signals;
using Patterns.StatefulActors;
using Patterns.TaskQueue;

namespace Patterns;

/// <summary>What the examples serve and what their handlers depend on, shared by <c>Program.cs</c> and the tests.</summary>
public static class PatternsServices
{
    /// <summary>Registers the services of the patterns, their in-process systems and <see cref="PatternsOptions"/> (section <c>Patterns</c>).</summary>
    public static IServiceCollection AddPatterns(this IServiceCollection services)
    {
        services.AddOptions<PatternsOptions>().BindConfiguration(PatternsOptions.Section);
        // Singletons: the stand-ins for external systems keep their bookings and balances across invocations.
        services.AddSingleton<ITravelProviders, InMemoryTravelProviders>();
        services.AddSingleton<IAccounts, InMemoryAccounts>();
        services.AddSingleton<IContentService, InMemoryContentService>();
        // One registration per pattern below; AddRestate adds to the same endpoint each time.
        services.AddSingleton<IMachineOperations, InMemoryMachineOperations>();
        services.AddRestate(restate => restate.AddService<MachineOperator>());
        services.AddSingleton<ITaskExecutor, InMemoryTaskExecutor>();
        services.AddRestate(restate => restate.AddService<AsyncTaskWorker>());
        services.AddSingleton<IChunkProcessor, InMemoryChunkProcessor>();
        services.AddRestate(restate => restate.AddService<FanOutWorker>().AddService<ChunkWorker>());
        services.AddSingleton<IUploadTools, InMemoryUploadTools>();
        services.AddRestate(restate => restate.AddService<DataUploadWorkflow>().AddService<UploadService>());
        services.AddSingleton<IPaymentProvider, InMemoryPaymentProvider>();
        services.AddRestate(restate => restate.AddService<PaymentService>());
        return services.AddRestate(restate => restate
            .AddService<ReservationService>()
            .AddService<ProductObject>()
            .AddService<BookingWorkflow>()
            .AddService<PaymentProcessor>()
            .AddService<UserFeed>()
            .AddService<PackageTracker>()
            .AddService<Flights>()
            .AddService<CarRentals>()
            .AddService<RpcBookingWorkflow>()).Services;
    }
}
