using Restate.Sdk;

namespace Patterns.DurableRpc;

/// <summary>The client-facing entry point: forwards reservations to the product they are for.</summary>
[Service("ReservationService")]
public sealed partial class ReservationService
{
    /// <summary>Reserves the product for the user.</summary>
    /// <returns>Whether the user now holds the product.</returns>
    [Handler("reserve")]
    public static async Task<bool> ReserveAsync(Context ctx, ReservationRequest request) =>
        // A durable call: once this invocation has sent it, the product's reserve runs exactly once, even if this
        // service crashes before the answer comes back (the retry reads the answer from the journal).
        await ctx.ObjectClient<ProductObjectClient>(request.ProductId).ReserveAsync(request.UserId);
}
