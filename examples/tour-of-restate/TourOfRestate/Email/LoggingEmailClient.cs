namespace TourOfRestate.Email;

/// <summary>Writes the e-mails to the log instead of sending them, so the tour runs without a mail server.</summary>
public sealed partial class LoggingEmailClient(ILogger<LoggingEmailClient> logger) : IEmailClient
{
    /// <inheritdoc />
    public Task NotifyPaymentSucceededAsync(string userId, CancellationToken cancellationToken)
    {
        LogPaymentSucceeded(userId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task NotifyPaymentFailedAsync(string userId, CancellationToken cancellationToken)
    {
        LogPaymentFailed(userId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {UserId}: your tickets are paid")]
    private partial void LogPaymentSucceeded(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail to {UserId}: your payment was declined")]
    private partial void LogPaymentFailed(string userId);
}
