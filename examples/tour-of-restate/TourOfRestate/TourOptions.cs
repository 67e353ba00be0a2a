namespace TourOfRestate;

/// <summary>The tour's settings, bound from the configuration section <c>Tour</c> (<c>Tour__ReservationExpiry</c> as an environment variable).</summary>
public sealed class TourOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Tour";

    /// <summary>How long a seat stays reserved in a cart before it is released; the theatre's 15 minutes by default.</summary>
    public TimeSpan ReservationExpiry { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The price of one ticket, in dollars.</summary>
    public decimal TicketPrice { get; set; } = 40m;

    /// <summary>Users whose payments the in-process payment provider declines, to try the failure path.</summary>
    public IList<string> DeclinedUsers { get; } = [];

    /// <summary>
    /// How many times each <c>addTicket</c> fails on purpose after its <c>reserve</c> call, to watch Restate retry it
    /// without reserving the seat again (0, the default, never fails).
    /// </summary>
    public int FailuresAfterReserve { get; set; }
}
