namespace OrderConsistency.Inventory;

/// <summary>Everything the inventory holds and every call it received, as <c>GET /inventory</c> answers it.</summary>
public sealed record InventorySnapshot(IReadOnlyList<Holding> Holdings, IReadOnlyList<InventoryOperation> Operations);
