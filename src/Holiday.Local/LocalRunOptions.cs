using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Holiday.Local;

/// <summary>Command-line options of the local run (<c>./dev run</c>), parsed by System.CommandLine; every bad value is
/// reported with the option's name. <see cref="DynamoDbPort"/> 0 (tests only; the command line takes 1 to 65535) lets
/// DynamoDB Local take any free port, retrying with another when a parallel process takes it first.</summary>
internal sealed record LocalRunOptions(int IngressPort = 8080, int AdminPort = 9070, int ServicePort = 9080, int DynamoDbPort = 8000,
    bool UseLocalStack = false, bool UseLambda = false, Uri? OtlpEndpoint = null, bool ProtocolV7 = false)
{
    private static readonly Option<int> IngressPortOption = PortOption("--ingress-port", 8080, "restate-server ingress, where the curl lines go");
    private static readonly Option<int> AdminPortOption = PortOption("--admin-port", 9070, "restate-server admin API");
    private static readonly Option<int> ServicePortOption = PortOption("--service-port", 9080,
        "the Holiday services endpoint restate-server calls, HTTP/2 (with --lambda: the Lambda emulator)");
    private static readonly Option<int> DynamoDbPortOption = PortOption("--dynamodb-port", 8000, "Amazon DynamoDB Local");

    private static readonly Option<bool> LocalStackOption = new("--localstack")
    {
        Description = "use LocalStack in Docker instead of DynamoDB Local (needs a Docker engine)",
    };

    private static readonly Option<bool> LambdaOption = new("--lambda")
    {
        Description = "run the services as Native AOT Lambda functions in the local Lambda emulator "
            + "(restate-server invokes them through the Lambda Invoke API, as on AWS)",
    };

    private static readonly Option<bool> ProtocolV7Option = new("--protocol-v7")
    {
        Description = "let restate-server speak service protocol V7 to the services (its experimental switch in 1.7; "
            + "without it the server uses V6)",
    };

    private static readonly Option<Uri?> OtlpEndpointOption = new("--otlp-endpoint")
    {
        Description = "send the traces of restate-server and the services to this OTLP/gRPC collector, "
            + "for example a local Jaeger: http://127.0.0.1:4317",
        HelpName = "URL",
        CustomParser = ParseEndpoint,
    };

    /// <summary>The command line of <c>./dev run</c>: its options and their help.</summary>
    public static RootCommand Command { get; } = CreateCommand();

    /// <summary>Parses <paramref name="args"/>; <see cref="ParseResult.Errors"/> name each bad option or value.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => Command.Parse(args);

    /// <summary>The options of a parse without errors.</summary>
    public static LocalRunOptions From(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new LocalRunOptions(
            result.GetValue(IngressPortOption), result.GetValue(AdminPortOption), result.GetValue(ServicePortOption),
            result.GetValue(DynamoDbPortOption), result.GetValue(LocalStackOption), result.GetValue(LambdaOption),
            result.GetValue(OtlpEndpointOption), result.GetValue(ProtocolV7Option));
    }

    /// <summary>
    /// What the tool does when it should not start anything: prints the help for <c>--help</c> (exit code 0), or each
    /// error and a pointer to <c>--help</c> (exit code 2). Null when the options are good to run with.
    /// </summary>
    public static int? HelpOrErrors(ParseResult result, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(error);
        // The ports are compared only once each parsed (System.CommandLine parses option values when they are read).
        IEnumerable<string> errors = result.Errors.Count > 0 ? result.Errors.Select(each => each.Message)
            : result.Action is null && From(result).PortConflict() is { } conflict ? [conflict]
            : [];
        if (errors.Any())
        {
            foreach (var message in errors)
            {
                error.WriteLine($"error: {message}");
            }
            error.WriteLine("Run ./dev run --help for the options.");
            return 2;
        }
        return result.Action is null ? null : result.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private string? PortConflict()
    {
        int[] ports = [IngressPort, AdminPort, ServicePort, DynamoDbPort];
        return ports.Distinct().Count() == ports.Length
            ? null
            : $"The ingress ({IngressPort}), admin ({AdminPort}), service ({ServicePort}) and DynamoDB ({DynamoDbPort}) ports must all differ.";
    }

    private static RootCommand CreateCommand()
    {
        var command = new RootCommand(
            "Starts the whole Holiday locally (DynamoDB, restate-server, the services and their registration) on 127.0.0.1, "
            + "prints the curl lines to try, and stops everything on Ctrl+C.")
        {
            IngressPortOption, AdminPortOption, ServicePortOption, DynamoDbPortOption, LocalStackOption, LambdaOption, ProtocolV7Option, OtlpEndpointOption,
        };
        return command;
    }

    private static Option<int> PortOption(string name, int defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
            {
                return port;
            }
            result.AddError($"Option {name} needs a port number from 1 to 65535, not '{text}'.");
            return 0;
        },
    };

    private static Uri? ParseEndpoint(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host))
        {
            return uri;
        }
        result.AddError($"Option --otlp-endpoint must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not '{text}'.");
        return null;
    }
}
