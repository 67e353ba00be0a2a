namespace TourOfRestate.Services;

/// <summary>Where a seat is in its life: free to take, held in someone's cart, or paid for.</summary>
public enum TicketStatus
{
    /// <summary>Nobody holds the seat (also what an unset status reads as).</summary>
    Available,

    /// <summary>The seat is in a cart until checkout or until the reservation expires.</summary>
    Reserved,

    /// <summary>The seat is paid for; it never becomes available again.</summary>
    Sold,
}
