using System.Collections.Concurrent;

namespace Patterns.PaymentStateMachine;

/// <summary>Accounts in this process, standing in for a bank: they start at zero and may go below it (no overdraft check).</summary>
public sealed class InMemoryAccounts : IAccounts
{
    private readonly ConcurrentDictionary<string, long> _balances = new();

    /// <summary>The account's balance in cents.</summary>
    public long BalanceOf(string accountId) => _balances.GetValueOrDefault(accountId);

    /// <inheritdoc />
    public Task WithdrawAsync(string accountId, long amountCents, CancellationToken cancellationToken)
    {
        _balances.AddOrUpdate(accountId, -amountCents, (_, balance) => balance - amountCents);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DepositAsync(string accountId, long amountCents, CancellationToken cancellationToken)
    {
        _balances.AddOrUpdate(accountId, amountCents, (_, balance) => balance + amountCents);
        return Task.CompletedTask;
    }
}
