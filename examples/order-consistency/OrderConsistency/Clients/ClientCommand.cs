using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using OrderConsistency.Checking;
using OrderConsistency.Orders;

namespace OrderConsistency.Clients;

/// <summary>
/// The order clients and the checker from the command line, against a running app and any number of ingress endpoints:
/// <c>OrderConsistency clients &lt;one|loop|race&gt; --ingress URL[,URL…] --app URL [--orders N] [--alternating] [--seed N] [--prefix P]</c>.
/// Runs the orders, then checks them against the app's inventory (<c>GET /inventory</c>); exits with 1 if an invariant is broken.
/// </summary>
/// <remarks>A hand-written parser: six flags do not justify a command-line package the repository does not otherwise use.</remarks>
public static class ClientCommand
{
    /// <summary>The usage line printed on a bad command line.</summary>
    public const string Usage =
        "usage: OrderConsistency clients <one|loop|race> --ingress URL[,URL...] --app URL [--orders N] [--alternating] [--seed N] [--prefix P]";

    /// <summary>Runs the command; returns the process exit code (0 consistent, 1 violations, 2 bad command line).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out var command, out var error) || command.App is not { } app)
        {
            await output.WriteLineAsync($"{error}\n{Usage}");
            return 2;
        }
        using var ingress = new FailoverIngress(command.Ingress);
        var choice = command.Alternating ? EndpointChoice.Alternating : EndpointChoice.Sticky;
        var client = new OrderClient(ingress, choice, 0, command.Seed);
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

    private static bool TryParse(IReadOnlyList<string> args, out Command command, out string error)
    {
        command = new Command();
        error = "";
        if (args.Count == 0 || args[0] is not ("one" or "loop" or "race"))
        {
            error = "The first argument is the sequence to run: one, loop or race.";
            return false;
        }
        command = command with { Mode = args[0] };
        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--alternating")
            {
                command = command with { Alternating = true };
                continue;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{flag} needs a value.";
                return false;
            }
            var value = args[++i];
            switch (flag)
            {
                case "--ingress":
                    var endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (!endpoints.All(endpoint => Uri.TryCreate(endpoint, UriKind.Absolute, out _)))
                    {
                        error = $"--ingress takes absolute URLs separated by commas, not '{value}'.";
                        return false;
                    }
                    command = command with { Ingress = [.. endpoints.Select(endpoint => new Uri(endpoint))] };
                    break;
                case "--app" when Uri.TryCreate(value, UriKind.Absolute, out var app):
                    command = command with { App = app };
                    break;
                case "--orders" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var orders) && orders > 0:
                    command = command with { Orders = orders };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed):
                    command = command with { Seed = seed };
                    break;
                case "--prefix" when value.Length > 0:
                    command = command with { Prefix = value };
                    break;
                default:
                    error = $"Unknown flag or bad value: {flag} {value}";
                    return false;
            }
        }
        if (command.Ingress.Count == 0 || command.App is null)
        {
            error = "--ingress and --app are required.";
            return false;
        }
        return true;
    }

    private sealed record Command
    {
        public string Mode { get; init; } = "one";

        public IReadOnlyList<Uri> Ingress { get; init; } = [];

        public Uri? App { get; init; }

        public int Orders { get; init; } = 10;

        public bool Alternating { get; init; }

        public int Seed { get; init; } = 1;

        public string Prefix { get; init; } = "order-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
    }
}
