namespace Restate.Sdk;

/// <summary>
/// How often, and how far apart, a failing <c>RunAsync</c> closure is retried before its failure becomes a journaled
/// terminal error.
/// </summary>
/// <remarks>
/// <para>
/// A retry is a new attempt of the whole invocation: the server replays the journal and the closure runs again. Only
/// exceptions other than <see cref="TerminalException"/> are retried; a <see cref="TerminalException"/> is journaled
/// at once.
/// </para>
/// <para>
/// <see cref="MaxAttempts"/> counts every execution of the closure, the first included: <c>MaxAttempts = 1</c> means
/// no retry. When either bound is reached the last error is journaled as a terminal failure (code 500 unless the
/// exception carried another), and awaiting the run throws <see cref="TerminalException"/> on this and every later
/// replay.
/// </para>
/// <para>
/// To pause instead, so that an operator can fix the cause and resume the invocation with the closure's work not yet
/// done, leave the run's retries to the server: <see cref="Infinite"/> (no <see cref="MaxAttempts"/> or
/// <see cref="MaxDuration"/>) on the run, and <c>RetryMaxAttempts</c> with <c>RetryOnMaxAttempts =</c>
/// <see cref="OnMaxAttempts.Pause"/> on the handler (restate-server 1.7's default policy already pauses after 70
/// attempts). Each failed closure then ends the attempt, the server counts it, and the invocation moves to
/// <c>paused</c> with nothing journaled for the run; <c>PATCH /invocations/{id}/resume</c> on the admin API runs it
/// again. With service protocol V7 a run can also pause on its own bounds: set <see cref="PauseWhenExhausted"/>.
/// </para>
/// </remarks>
public sealed record RetryPolicy
{
    private RetryPolicy(RetryStrategy strategy, TimeSpan initialInterval, double factor, TimeSpan? maxInterval)
    {
        Strategy = strategy;
        InitialInterval = initialInterval;
        Factor = factor;
        MaxInterval = maxInterval;
    }

    /// <summary>Retry forever; the server's retry policy chooses the delays. The default.</summary>
    public static RetryPolicy Infinite { get; } = new(RetryStrategy.ServerDefined, TimeSpan.Zero, 1, null);

    /// <summary>Never retry: the first failure is journaled as a terminal failure.</summary>
    public static RetryPolicy None { get; } = new(RetryStrategy.ServerDefined, TimeSpan.Zero, 1, null) { MaxAttempts = 1 };

    /// <summary>The same delay between all attempts.</summary>
    /// <param name="interval">Delay before each retry.</param>
    public static RetryPolicy FixedDelay(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        return new RetryPolicy(RetryStrategy.Exponential, interval, 1, null);
    }

    /// <summary>The cap of one delay of <see cref="Exponential"/> when none is given (the TypeScript SDK's default too).</summary>
    public static TimeSpan DefaultMaxInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Delays growing by <paramref name="factor"/>: <c>initial · factor^(attempt-1)</c>, capped by
    /// <paramref name="maxInterval"/> (<see cref="DefaultMaxInterval"/>, 10 s, when null), so a run that keeps failing is
    /// retried at least that often instead of after hours.
    /// </summary>
    /// <param name="initialInterval">Delay before the first retry.</param>
    /// <param name="factor">Growth factor, at least 1.</param>
    /// <param name="maxInterval">Upper bound for a single delay, at least <paramref name="initialInterval"/>; <see cref="DefaultMaxInterval"/> when null.</param>
    public static RetryPolicy Exponential(TimeSpan initialInterval, double factor = 2, TimeSpan? maxInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var cap = maxInterval ?? (initialInterval > DefaultMaxInterval ? initialInterval : DefaultMaxInterval);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, initialInterval, nameof(maxInterval));
        return new RetryPolicy(RetryStrategy.Exponential, initialInterval, factor, cap);
    }

    /// <summary>The most executions of the closure, the first included; unbounded when null.</summary>
    public int? MaxAttempts
    {
        get;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "MaxAttempts must be at least 1.");
            }
            field = value;
        }
    }

    /// <summary>The longest total time spent in failed attempts before giving up; unbounded when null.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>
    /// When <see cref="MaxAttempts"/> or <see cref="MaxDuration"/> is reached, pause the invocation (nothing journaled
    /// for the run; resuming it through the admin API runs the closure again) instead of journaling a terminal failure.
    /// </summary>
    /// <remarks>
    /// Needs service protocol V7 (restate-server 1.7 with <c>RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true</c>). Under
    /// V5 and V6 the runtime cannot be asked to pause: the exhausted run ends the attempt with a retryable error instead
    /// (never a terminal failure), the handler's server-side retry policy applies, and the SDK logs a warning.
    /// </remarks>
    public bool PauseWhenExhausted { get; init; }

    /// <summary>Delay before the first retry (zero for <see cref="Infinite"/>: the server decides).</summary>
    public TimeSpan InitialInterval { get; }

    /// <summary>Growth factor of the delay between attempts.</summary>
    public double Factor { get; }

    /// <summary>Upper bound for one delay, if any.</summary>
    public TimeSpan? MaxInterval { get; }

    internal RetryStrategy Strategy { get; }

    /// <summary>Decides what happens after the <paramref name="attempts"/>-th failed execution.</summary>
    internal RetryDecision Decide(uint attempts, TimeSpan totalDuration)
    {
        if ((MaxAttempts is { } maxAttempts && attempts >= maxAttempts)
            || (MaxDuration is { } maxDuration && totalDuration >= maxDuration))
        {
            return RetryDecision.GiveUp;
        }
        if (Strategy == RetryStrategy.ServerDefined)
        {
            return RetryDecision.RetryAfter(null);
        }
        var delayMs = InitialInterval.TotalMilliseconds * Math.Pow(Factor, attempts - 1);
        if (MaxInterval is { } cap)
        {
            delayMs = Math.Min(delayMs, cap.TotalMilliseconds);
        }
        return RetryDecision.RetryAfter(TimeSpan.FromMilliseconds(Math.Min(delayMs, TimeSpan.MaxValue.TotalMilliseconds / 2)));
    }
}

internal enum RetryStrategy
{
    ServerDefined,
    Exponential,
}

internal readonly record struct RetryDecision(bool Retry, TimeSpan? Delay)
{
    public static RetryDecision GiveUp => new(false, null);

    public static RetryDecision RetryAfter(TimeSpan? delay) => new(true, delay);
}
