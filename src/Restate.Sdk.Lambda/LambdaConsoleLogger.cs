using System.Text;
using Microsoft.Extensions.Logging;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The logger factory a Lambda endpoint gets when it was built without
/// <see cref="Endpoint.RestateEndpointBuilder.WithLoggerFactory"/>: one line per entry on stdout, which Lambda sends to
/// CloudWatch Logs. Each line is written before the call returns (no background queue, as Microsoft's console logger
/// has), so nothing waits in memory when Lambda freezes the sandbox after the response.
/// </summary>
/// <remarks>
/// The minimum level is <c>AWS_LAMBDA_LOG_LEVEL</c> (<c>TRACE</c>, <c>DEBUG</c>, <c>INFO</c>, <c>WARN</c>, <c>ERROR</c>,
/// <c>FATAL</c>; set by Lambda's log-level configuration), <c>INFO</c> when unset. Line breaks inside an entry (stack
/// traces) become carriage returns, so CloudWatch keeps the entry as one event.
/// </remarks>
internal sealed class LambdaConsoleLoggerFactory : ILoggerFactory
{
    /// <summary>The variable Lambda sets from the function's application log level.</summary>
    public const string LogLevelVariable = "AWS_LAMBDA_LOG_LEVEL";

    private readonly TextWriter _output;
    private readonly LoggerExternalScopeProvider _scopes = new();

    /// <summary>Creates a factory writing to <paramref name="output"/> at <paramref name="minimumLevel"/> and above.</summary>
    public LambdaConsoleLoggerFactory(TextWriter output, LogLevel minimumLevel)
    {
        _output = output;
        MinimumLevel = minimumLevel;
    }

    /// <summary>The factory for this process: stdout, at the level <c>AWS_LAMBDA_LOG_LEVEL</c> names.</summary>
    public static LambdaConsoleLoggerFactory FromEnvironment() =>
        new(Console.Out, ParseLevel(Environment.GetEnvironmentVariable(LogLevelVariable)));

    public LogLevel MinimumLevel { get; }

    /// <summary>Lambda's level names (any case) to <see cref="LogLevel"/>; unset or unknown is <see cref="LogLevel.Information"/>.</summary>
    public static LogLevel ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "CRITICAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException(
            "The default Lambda console logger takes no providers: build the endpoint with WithLoggerFactory(yourFactory) to log elsewhere.");

    public void Dispose()
    {
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(LambdaConsoleLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = new StringBuilder();
            line.Append(LevelName(logLevel)).Append(": ").Append(category);
            owner._scopes.ForEachScope(static (scope, builder) => builder.Append(" => ").Append(scope), line);
            line.Append(": ").Append(formatter(state, exception));
            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }
            line.Replace("\r\n", "\r").Replace('\n', '\r');
            // One WriteLine per entry: Console.Out is synchronized, so concurrent invocations never interleave a line.
            owner._output.WriteLine(line.ToString());
        }
    }
}
