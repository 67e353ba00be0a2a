namespace OrderConsistency.Inventory;

/// <summary>A transient failure of the inventory: the same call may succeed later, so Restate retries it.</summary>
public sealed class InventoryUnavailableException : Exception
{
    /// <summary>A failure with no message.</summary>
    public InventoryUnavailableException()
    {
    }

    /// <summary>A failure that says what failed.</summary>
    public InventoryUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>A failure caused by another.</summary>
    public InventoryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
