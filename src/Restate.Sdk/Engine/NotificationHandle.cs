namespace Restate.Sdk.Engine;

/// <summary>
/// A VM-local reference to a result the invocation waits for. Handle 1 is the built-in cancel signal; the VM hands
/// out the others from 17 upwards.
/// </summary>
internal readonly record struct NotificationHandle(uint Value)
{
    public static readonly NotificationHandle Cancel = new(1);

    public override string ToString() => $"#{Value}";
}
