using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class EnvironmentReadTests
{
    [Fact]
    public Task EnvironmentReads_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var table = {|RESTATE103:Environment.GetEnvironmentVariable|}("TABLE");
                    var all = {|RESTATE103:Environment.GetEnvironmentVariables|}();
                    var host = {|RESTATE103:Environment.MachineName|};
                    var pid = {|RESTATE103:Environment.ProcessId|};
                    var cores = {|RESTATE103:Environment.ProcessorCount|};
        """));

    [Fact]
    public Task EnvironmentRead_InMethodTakingContext_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                request += {|RESTATE103:Environment.GetEnvironmentVariable|}("SUFFIX");
        """));

    [Fact]
    public Task NewLineAndEnvironmentReadInsideRunAsync_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var lines = "a" + Environment.NewLine + "b";
                    var table = await ctx.RunAsync("table", _ => Task.FromResult(Environment.GetEnvironmentVariable("TABLE") ?? ""), Serde.String);
        """));

    [Fact]
    public Task EnvironmentRead_OutsideHandlerCode_IsNotReported() => VerifyAsync(Snippets.PlainMethod("""
                var table = Environment.GetEnvironmentVariable("TABLE");
        """));

    [Fact]
    public Task EnvironmentReadAsMethodGroupAtStartup_IsNotReported() => VerifyAsync("""
        public static class Startup
        {
            public static string? Table(Func<string, string?>? read = null) => (read ?? Environment.GetEnvironmentVariable)("TABLE");
        }
        """);
}
