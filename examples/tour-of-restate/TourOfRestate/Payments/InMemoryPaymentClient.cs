using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TourOfRestate.Payments;

/// <summary>
/// A payment provider in this process, standing in for a real one: it declines the users listed in
/// <see cref="TourOptions.DeclinedUsers"/> and charges every idempotency key at most once.
/// </summary>
public sealed class InMemoryPaymentClient(IOptions<TourOptions> options) : IPaymentClient
{
    private readonly ConcurrentDictionary<string, (PaymentRequest Request, bool Succeeded)> _byIdempotencyKey = new();

    /// <summary>The payments that went through, one per idempotency key.</summary>
    public IReadOnlyList<PaymentRequest> Charges =>
        [.. _byIdempotencyKey.Values.Where(payment => payment.Succeeded).Select(payment => payment.Request)];

    /// <inheritdoc />
    public Task<bool> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var outcome = _byIdempotencyKey.GetOrAdd(request.IdempotencyKey,
            _ => (request, !options.Value.DeclinedUsers.Contains(request.UserId)));
        return Task.FromResult(outcome.Succeeded);
    }
}
