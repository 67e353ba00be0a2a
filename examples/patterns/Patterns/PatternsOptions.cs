using Patterns.Sagas;

namespace Patterns;

/// <summary>The examples' settings, bound from the configuration section <c>Patterns</c> (<c>Patterns__PaymentExpiry</c> as an environment variable).</summary>
public sealed class PatternsOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Patterns";

    /// <summary>How long a payment's state is kept after it was paid or cancelled; an hour by default.</summary>
    public TimeSpan PaymentExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Trips whose booking fails terminally at the given step, to watch the saga compensate (trip id to step).</summary>
    public IDictionary<string, BookingStep> FailingSteps { get; } = new Dictionary<string, BookingStep>();

    /// <summary>How many status checks a new post stays pending at the in-process content service before its moderation is done; 2 by default.</summary>
    public int ModerationChecks { get; set; } = 2;

    /// <summary>How long <c>UserFeed</c> sleeps between two checks of a post's moderation status; 5 seconds by default.</summary>
    public TimeSpan ModerationPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long bringing a machine up or tearing it down takes (the in-process machines); a second by default.</summary>
    public TimeSpan MachineOperationTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many attempts of each operation on an in-process machine crash before one succeeds; 1 by default, so every transition shows a retry.</summary>
    public int MachineCrashes { get; set; } = 1;

    /// <summary>How long the transfer of one megabyte takes in the data upload; a second by default.</summary>
    public TimeSpan UploadTimePerMegabyte { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an upload request waits for the upload before it answers that the URL will be emailed; five seconds by default.</summary>
    public TimeSpan UploadWaitLimit { get; set; } = TimeSpan.FromSeconds(5);
}
