using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using OrderConsistency.Checking;
using OrderConsistency.Orders;

namespace OrderConsistency.Clients;

/// <summary>
/// The order clients and the checker from the command line, against a running app and any number of ingress endpoints:
/// <c>OrderConsistency clients &lt;one|loop|race&gt; --ingress URL[,URL…] --app URL [--orders N] [--alternating] [--one-way] [--seed N] [--prefix P]</c>,
/// parsed by System.CommandLine (<c>clients --help</c> lists the options).
/// Runs the orders, then checks them against the app's inventory (<c>GET /inventory</c>); exits with 1 if an invariant is broken.
/// </summary>
public static class ClientCommand
{
    private static readonly Argument<string> SequenceArgument = new Argument<string>("sequence")
    {
        Description = "one order, a loop of orders, or races of close against cancel on one order",
    }.AcceptOnlyFromAmong("one", "loop", "race");

    private static readonly Option<IReadOnlyList<Uri>> IngressOption = new("--ingress")
    {
        Description = "the ingress endpoints, separated by commas; a request that fails on one is sent again to the next",
        HelpName = "URL[,URL...]",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            var endpoints = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (endpoints.Length > 0 && endpoints.All(IsHttpUrl))
            {
                return [.. endpoints.Select(endpoint => new Uri(endpoint))];
            }
            result.AddError($"Option --ingress takes absolute http:// URLs separated by commas, not '{text}'.");
            return [];
        },
    };

    private static readonly Option<Uri> AppOption = new("--app")
    {
        Description = "the app's own address, where the checker reads GET /inventory",
        HelpName = "URL",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (IsHttpUrl(text))
            {
                return new Uri(text);
            }
            result.AddError($"Option --app takes an absolute http:// URL, not '{text}'.");
            return null;
        },
    };

    private static readonly Option<int> OrdersOption = new("--orders")
    {
        Description = "how many orders (loop) or races (race) to run",
        HelpName = "N",
        DefaultValueFactory = _ => 10,
        CustomParser = result => PositiveNumber(result, "--orders", allowZero: false),
    };

    private static readonly Option<bool> AlternatingOption = new("--alternating")
    {
        Description = "send each request to the next endpoint instead of sticking to the first that answers",
    };

    private static readonly Option<bool> OneWayOption = new("--one-way")
    {
        Description = "one, loop: send close and cancel one-way (/send), again only until an endpoint accepts them, then wait for their result",
    };

    private static readonly Option<int> SeedOption = new("--seed")
    {
        Description = "the seed of the order contents",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
        CustomParser = result => PositiveNumber(result, "--seed", allowZero: true),
    };

    private static readonly Option<string> PrefixOption = new("--prefix")
    {
        Description = "the order ids' prefix, the time of day by default",
        HelpName = "P",
        DefaultValueFactory = _ => "order-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture),
    };

    /// <summary>The <c>clients</c> command: its argument, options and help.</summary>
    public static Command Command { get; } = new("clients", "Runs order sequences against the ingress endpoints, then checks every order against the app's inventory.")
    {
        SequenceArgument, IngressOption, AppOption, OrdersOption, AlternatingOption, OneWayOption, SeedOption, PrefixOption,
    };

    // The app's command line has this one command; without it, the program serves (see Program.cs).
    private static readonly RootCommand Root = new("The order-consistency app; with `clients`, its order clients and checker.") { Command };

    /// <summary>Runs the command; returns the process exit code (0 consistent, 1 violations, 2 bad command line, 0 for --help).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var parsed = Root.Parse(["clients", .. args]);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await output.WriteLineAsync($"error: {error.Message}");
            }
            await output.WriteLineAsync("Run OrderConsistency clients --help for the options.");
            return 2;
        }
        if (parsed.Action is not null)
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = output });
        }
        var command = new Options(parsed.GetRequiredValue(SequenceArgument), parsed.GetRequiredValue(IngressOption),
            parsed.GetRequiredValue(AppOption), parsed.GetValue(OrdersOption), parsed.GetValue(AlternatingOption),
            parsed.GetValue(OneWayOption), parsed.GetValue(SeedOption), parsed.GetRequiredValue(PrefixOption));
        var app = command.App;
        using var ingress = new FailoverIngress(command.Ingress);
        var choice = command.Alternating ? EndpointChoice.Alternating : EndpointChoice.Sticky;
        var client = new OrderClient(ingress, choice, 0, command.Seed, command.OneWay);
        var runs = new List<OrderRun>();
        for (var i = 1; i <= (command.Mode == "one" ? 1 : command.Orders); i++)
        {
            var orderId = $"{command.Prefix}-{i}";
            runs.Add(command.Mode == "race"
                ? await OrderClient.RaceCloseAndCancelAsync(client, new OrderClient(ingress, choice, 1, command.Seed + 1), orderId)
                : await client.RunOrderAsync(orderId));
            await output.WriteLineAsync($"{orderId}: {string.Join(" | ", runs[^1].Answers)}");
        }

        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        // The app serves HTTP/2 without TLS only (for restate-server), so the request goes out as HTTP/2 from the start.
        var snapshot = await http.GetFromJsonAsync(new Uri(app, "inventory"), OrderJson.Default.InventorySnapshot)
            ?? throw new InvalidOperationException($"{app}inventory answered no inventory");
        var known = runs.Select(run => run.OrderId).ToHashSet(StringComparer.Ordinal);
        var report = await InvariantChecker.CheckAsync(runs,
            orderId => ingress.CallAsync(0, $"check-{orderId}-{Guid.NewGuid():N}",
                (restate, _, ct) => restate.ObjectClient<OrderObjectIngressClient>(orderId).GetAsync(cancellationToken: ct)),
            [.. snapshot.Holdings.Where(holding => known.Contains(holding.OrderId))],
            [.. snapshot.Operations.Where(operation => operation.OrderId is { } id && known.Contains(id))]);
        await output.WriteLineAsync($"{report}; {ingress.Failovers} requests failed over to another endpoint");
        foreach (var violation in report.Violations)
        {
            await output.WriteLineAsync("VIOLATION " + violation);
        }
        return report.Violations.Count == 0 ? 0 : 1;
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);

    private static int PositiveNumber(System.CommandLine.Parsing.ArgumentResult result, string name, bool allowZero)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && (allowZero || number > 0))
        {
            return number;
        }
        result.AddError($"Option {name} needs a whole number{(allowZero ? "" : " above 0")}, not '{text}'.");
        return 0;
    }

    private sealed record Options(string Mode, IReadOnlyList<Uri> Ingress, Uri App, int Orders, bool Alternating, bool OneWay, int Seed, string Prefix);
}
