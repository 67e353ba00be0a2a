namespace Restate.Sdk.Engine;

/// <summary>
/// A state-machine-local reference to a result the invocation waits for. Handle 1 is the built-in cancel signal; the state machine hands
/// out the others from 17 upwards.
/// </summary>
internal readonly record struct NotificationHandle(uint Value)
{
    public static readonly NotificationHandle Cancel = new(1);

    public override string ToString() => $"#{Value}";
}
