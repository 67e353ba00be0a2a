namespace TourOfRestate.Email;

/// <summary>Tells users how their checkout went.</summary>
public interface IEmailClient
{
    /// <summary>Tells the user their tickets are paid.</summary>
    Task NotifyPaymentSucceededAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Tells the user their payment was declined.</summary>
    Task NotifyPaymentFailedAsync(string userId, CancellationToken cancellationToken);
}
