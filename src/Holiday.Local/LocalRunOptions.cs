using System.Globalization;

namespace Holiday.Local;

/// <summary>Command-line options of the local run; every bad value is reported with the option's name.
/// <see cref="DynamoDbPort"/> 0 (tests only; the command line takes 1 to 65535) lets DynamoDB Local take any free
/// port, retrying with another when a parallel process takes it first.</summary>
internal sealed record LocalRunOptions(int IngressPort = 8080, int AdminPort = 9070, int ServicePort = 9080, int DynamoDbPort = 8000,
    bool UseLocalStack = false, bool UseLambda = false, Uri? OtlpEndpoint = null)
{
    public const string Usage = """
        usage: ./dev run [--ingress-port N] [--admin-port N] [--service-port N] [--dynamodb-port N] [--localstack] [--lambda]
                         [--otlp-endpoint URL]
          --ingress-port   restate-server ingress, where the curl lines go (default 8080)
          --admin-port     restate-server admin API (default 9070)
          --service-port   the Holiday services endpoint restate-server calls, HTTP/2 (default 9080)
          --dynamodb-port  Amazon DynamoDB Local (default 8000)
          --localstack     use LocalStack in Docker instead of DynamoDB Local (needs a Docker engine)
          --lambda         run the services as Native AOT Lambda functions in the local Lambda emulator
                           (restate-server invokes them through the Lambda Invoke API, as on AWS)
          --otlp-endpoint  send the traces of restate-server and the services to this OTLP/gRPC collector,
                           for example a local Jaeger: http://127.0.0.1:4317
        """;

    private static readonly string[] PortOptions = ["--ingress-port", "--admin-port", "--service-port", "--dynamodb-port"];

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out LocalRunOptions options, out string? error)
    {
        options = new LocalRunOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = Usage;
                return false;
            }
            if (name == "--localstack")
            {
                options = options with { UseLocalStack = true };
                continue;
            }
            if (name == "--lambda")
            {
                options = options with { UseLambda = true };
                continue;
            }
            if (name == "--otlp-endpoint")
            {
                if (i + 1 >= args.Count)
                {
                    error = "Option --otlp-endpoint needs a URL such as http://127.0.0.1:4317.";
                    return false;
                }
                try
                {
                    options = options with { OtlpEndpoint = ParseEndpoint(args[++i], "Option --otlp-endpoint") };
                }
                catch (ArgumentException e)
                {
                    error = e.Message;
                    return false;
                }
                continue;
            }
            if (!PortOptions.Contains(name))
            {
                error = $"Unknown option '{name}'.\n{Usage}";
                return false;
            }
            if (i + 1 >= args.Count)
            {
                error = $"Option {name} needs a port number.";
                return false;
            }
            var text = args[++i];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                error = $"Option {name} needs a port number from 1 to 65535, not '{text}'.";
                return false;
            }
            options = name switch
            {
                "--ingress-port" => options with { IngressPort = port },
                "--admin-port" => options with { AdminPort = port },
                "--service-port" => options with { ServicePort = port },
                _ => options with { DynamoDbPort = port },
            };
        }
        var ports = new[] { options.IngressPort, options.AdminPort, options.ServicePort, options.DynamoDbPort };
        if (ports.Distinct().Count() != ports.Length)
        {
            error = $"The ingress ({options.IngressPort}), admin ({options.AdminPort}), service ({options.ServicePort}) and DynamoDB ({options.DynamoDbPort}) ports must all differ.";
            return false;
        }
        return true;
    }

    private static Uri ParseEndpoint(string text, string source) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)
            ? uri
            : throw new ArgumentException($"{source} must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not '{text}'.");
}
