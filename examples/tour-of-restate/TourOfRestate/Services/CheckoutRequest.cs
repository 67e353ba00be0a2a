namespace TourOfRestate.Services;

/// <summary>What a cart hands to checkout: whose cart and the seats in it.</summary>
public sealed record CheckoutRequest(string UserId, string[] Tickets);
