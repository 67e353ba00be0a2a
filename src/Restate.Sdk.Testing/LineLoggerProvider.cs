using Microsoft.Extensions.Logging;

namespace Restate.Sdk.Testing;

/// <summary>Writes each log entry as one line (<c>info KitCounter: message</c>) to a callback such as <c>ITestOutputHelper.WriteLine</c>.</summary>
internal sealed class LineLoggerProvider(Action<string> write) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(write, categoryName);

    public void Dispose()
    {
    }

    private sealed class LineLogger(Action<string> write, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = $"{Level(logLevel)} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}";
            try
            {
                write(line);
            }
#pragma warning disable CA1031 // A test's output helper throws once its test has finished; a late log line must not fail the service.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
