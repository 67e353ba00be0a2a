namespace Holiday.Hosting;

/// <summary>How the Holiday processes write their logs to the console.</summary>
public enum ConsoleLogFormat
{
    /// <summary>One readable line per entry, with its scopes (local runs, the HTTP host).</summary>
    Readable,

    /// <summary>One JSON object per line, with its scopes, for CloudWatch Logs Insights (Lambda).</summary>
    Json,
}
