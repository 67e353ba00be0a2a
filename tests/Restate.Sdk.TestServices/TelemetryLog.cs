using Microsoft.Extensions.Logging;

namespace Restate.Sdk.TestServices;

/// <summary>The log lines of the Telemetry test service.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "before sleep {Tag}")]
    public static partial void BeforeSleep(ILogger logger, string tag);

    [LoggerMessage(Level = LogLevel.Information, Message = "after sleep {Tag}")]
    public static partial void AfterSleep(ILogger logger, string tag);
}
