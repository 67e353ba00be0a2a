using BenchmarkDotNet.Running;

namespace Restate.Sdk.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Restate.Sdk.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
