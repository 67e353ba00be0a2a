namespace Holiday.LambdaCost.Tests;

/// <summary>The cost tool's command line, through the parsers and the checkout check it shares with the load test.</summary>
public sealed class CostOptionsTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("holiday-lambdacost-repo-").FullName;
    private readonly string _checkout = Directory.CreateTempSubdirectory("holiday-lambdacost-ts-").FullName;

    public void Dispose()
    {
        Directory.Delete(_repository, recursive: true);
        Directory.Delete(_checkout, recursive: true);
    }

    [Fact]
    public void From_OnlyOurTarget_TakesTheDefaultsAndNeedsNoCheckout()
    {
        var options = CostOptions.From(CostOptions.Command.Parse(["--targets", "holiday-lambda"]), _repository);

        Assert.Equal(["holiday-lambda"], options.Targets);
        Assert.Equal([1], options.Concurrency);
        Assert.Equal((200, 20, 2, 5, 512), (options.Trips, options.Warmup, options.Rounds, options.Cold, options.EqualMemoryMb));
        Assert.Null(options.TsHolidayDirectory);
    }

    [Fact]
    public void Parse_ListsWithARepeatOrAnUnknownName_AreErrorsNamingTheOption()
    {
        var errors = CostOptions.Command.Parse(["--concurrency", "1,16,1", "--targets", "holiday-lambda,node"]).Errors
            .Select(error => error.Message).ToList();

        Assert.Contains("--concurrency lists a value twice: '1,16,1'.", errors);
        Assert.Contains("--targets must list targets from holiday-lambda, ts-lambda; got 'node'.", errors);
        Assert.Contains($"--concurrency must list integers from 1 to {CostOptions.MaxConcurrency}, separated by commas; got '0'.",
            CostOptions.Command.Parse(["--concurrency", "0"]).Errors.Select(error => error.Message));
    }

    [Fact]
    public void From_TsTargetWithoutCheckout_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => CostOptions.From(CostOptions.Command.Parse([]), _repository));

        Assert.StartsWith("--ts-holiday-dir is required by ts-lambda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_CheckoutInsideTheRepository_IsRefused()
    {
        var inside = Directory.CreateDirectory(Path.Combine(_repository, "ts")).FullName;

        var error = Assert.Throws<ArgumentException>(
            () => CostOptions.From(CostOptions.Command.Parse(["--ts-holiday-dir", inside]), _repository));

        Assert.StartsWith("--ts-holiday-dir must be outside the repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_CheckoutWithoutOneBundle_NamesTheMissingFile()
    {
        Directory.CreateDirectory(Path.Combine(_checkout, "src"));
        File.WriteAllText(Path.Combine(_checkout, "src", "trips.ts"), "");
        Directory.CreateDirectory(Path.Combine(_checkout, "lambda"));
        foreach (var service in new[] { "trips", "flights", "payments" })
        {
            File.WriteAllText(Path.Combine(_checkout, "lambda", service + ".js"), "");
        }
        var parse = CostOptions.Command.Parse(["--ts-holiday-dir", _checkout]);

        var error = Assert.Throws<ArgumentException>(() => CostOptions.From(parse, _repository));
        Assert.Contains("has no lambda/cars.js", error.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_checkout, "lambda", "cars.js"), "");
        Assert.Equal(_checkout, CostOptions.From(parse, _repository).TsHolidayDirectory);
    }
}
