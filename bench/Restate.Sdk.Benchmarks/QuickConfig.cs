using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// One short job for every benchmark class, so the whole suite runs in a few minutes on a small, noisy machine:
/// one process launch, 3 warm-up and 8 measured iterations (BenchmarkDotNet's ShortRun uses 3 and 3, which leaves
/// the error column too wide for the nanosecond-scale benchmarks).
/// </summary>
internal sealed class QuickConfig : ManualConfig
{
    public QuickConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithId("Quick"));
    }
}
