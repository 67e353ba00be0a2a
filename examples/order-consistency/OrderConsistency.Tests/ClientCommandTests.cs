using OrderConsistency.Clients;

namespace OrderConsistency.Tests;

public sealed class ClientCommandTests
{
    private static readonly string[] Options = ["--ingress", "--app", "--orders", "--alternating", "--one-way", "--seed", "--prefix"];

    [Theory]
    [InlineData(new[] { "sideways", "--ingress", "http://127.0.0.1:8080", "--app", "http://127.0.0.1:9080" }, "'sideways'")]
    [InlineData(new[] { "loop", "--app", "http://127.0.0.1:9080" }, "--ingress")]
    [InlineData(new[] { "loop", "--ingress", "localhost:8080", "--app", "http://127.0.0.1:9080" }, "Option --ingress takes absolute http:// URLs separated by commas, not 'localhost:8080'.")]
    [InlineData(new[] { "loop", "--ingress", "http://127.0.0.1:8080", "--app", "http://127.0.0.1:9080", "--orders", "0" }, "Option --orders needs a whole number above 0, not '0'.")]
    [InlineData(new[] { "loop", "--ingress", "http://127.0.0.1:8080", "--app", "http://127.0.0.1:9080", "--speed", "3" }, "--speed")]
    public async Task Run_BadCommandLine_Exits2NamingTheProblem(string[] args, string expected)
    {
        using var output = new StringWriter();

        var exitCode = await ClientCommand.RunAsync(args, output);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--help", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_ListsTheSequencesAndOptionsAndExits0()
    {
        using var output = new StringWriter();

        var exitCode = await ClientCommand.RunAsync(["--help"], output);

        Assert.Equal(0, exitCode);
        var help = output.ToString();
        Assert.Contains(" clients <sequence> [options]", help, StringComparison.Ordinal);
        Assert.Contains("<loop|one|race>", help, StringComparison.Ordinal);
        Assert.All(Options, option => Assert.Contains(option, help, StringComparison.Ordinal));
    }
}
