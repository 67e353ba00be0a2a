namespace Patterns.PaymentStateMachine;

/// <summary>The accounts payments are drawn from.</summary>
public interface IAccounts
{
    /// <summary>Takes the amount from the account.</summary>
    Task WithdrawAsync(string accountId, long amountCents, CancellationToken cancellationToken);

    /// <summary>Puts the amount back into the account.</summary>
    Task DepositAsync(string accountId, long amountCents, CancellationToken cancellationToken);
}
