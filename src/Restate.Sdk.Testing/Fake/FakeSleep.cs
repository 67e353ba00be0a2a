namespace Restate.Sdk.Testing;

/// <summary>A durable timer (<c>ctx.SleepAsync</c>) of a handler run on a <see cref="FakeContext{TContext}"/>; the fake completes it at once.</summary>
/// <param name="Name">The name given to the timer (empty when none).</param>
/// <param name="Duration">How long the handler asked to sleep, to the millisecond the protocol carries.</param>
/// <param name="WakeUpTime">When the timer fires on the fake clock; the clock moves there once the sleep completes.</param>
public sealed record FakeSleep(string Name, TimeSpan Duration, DateTimeOffset WakeUpTime);
