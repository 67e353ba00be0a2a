namespace Restate.Sdk.Testing;

/// <summary>
/// The fake runtime's clock: fixed while an attempt runs, so a timer's duration is exactly what the handler asked
/// for, and moved forward by the runtime when a sleep completes.
/// </summary>
internal sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void AdvanceTo(DateTimeOffset time)
    {
        if (time > Now)
        {
            Now = time;
        }
    }
}
