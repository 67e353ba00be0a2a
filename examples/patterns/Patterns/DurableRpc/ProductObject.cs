using Restate.Sdk;

namespace Patterns.DurableRpc;

/// <summary>One product, keyed by product id, that can be reserved once.</summary>
[VirtualObject("ProductObject")]
public sealed partial class ProductObject
{
    /// <summary>The user holding the product; absent while it is free.</summary>
    public static readonly StateKey<string> ReservedBy = new("reservedBy");

    /// <summary>Reserves the product for the user if nobody holds it yet.</summary>
    /// <returns>Whether it was free and is now the user's; a second reserve answers false, even for the same user.</returns>
    [Handler("reserve")]
    public static async Task<bool> ReserveAsync(ObjectContext ctx, string userId)
    {
        if (await ctx.GetAsync(ReservedBy) is not null)
        {
            return false;
        }
        ctx.Set(ReservedBy, userId);
        return true;
    }
}
