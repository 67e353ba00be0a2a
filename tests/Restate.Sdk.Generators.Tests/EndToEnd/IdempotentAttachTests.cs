using Restate.Sdk.Client;

namespace Restate.Sdk.Generators.Tests.EndToEnd;

/// <summary>
/// The generated ingress clients' <c>Attach(idempotencyKey)</c> and <c>GetOutput(idempotencyKey)</c> against the real
/// restate-server: a call or send started with an idempotency key, then its typed result read back through the key.
/// </summary>
public sealed class IdempotentAttachTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task AttachAndGetOutput_OfAFinishedSendToAnObject_ReturnTheHandlersTypedResponse()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var account = client.ObjectClient<AccountsIngressClient>("acc-" + Guid.NewGuid().ToString("N"));
        var key = Guid.NewGuid().ToString();

        var sent = await account.Send(new SendOptions { IdempotencyKey = key }).DepositAsync(5);
        var attached = await account.Attach(key).DepositAsync();
        var output = await account.GetOutput(key).DepositAsync();
        var again = await account.Send(new SendOptions { IdempotencyKey = key }).DepositAsync(5);

        Assert.Equal(5, attached);
        Assert.Equal(new InvocationOutput<long>(true, 5), output);
        Assert.True(again.PreviouslyAccepted);
        Assert.Equal(sent.InvocationId, again.InvocationId);
        Assert.Equal(5, await account.GetBalanceAsync());
    }

    [Fact]
    public async Task AttachAndGetOutput_OfACallToAService_ReturnTheSameRecordTheCallDid()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var bank = client.ServiceClient<BankIngressClient>();
        var key = Guid.NewGuid().ToString();

        var receipt = await bank.TransferAsync(new Transfer("acc-" + Guid.NewGuid().ToString("N"), 3, 0, 0), new CallOptions { IdempotencyKey = key });
        var attached = await bank.Attach(key).TransferAsync();
        var output = await bank.GetOutput(key).TransferAsync();

        Assert.Equal(receipt, attached);
        Assert.Equal(new InvocationOutput<Receipt>(true, receipt), output);
    }

    [Fact]
    public async Task GetOutput_WhilePending_IsNotReady_ThenAttachAndGetOutputReturnTheResponse()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var signup = client.WorkflowClient<SignupFlowIngressClient>($"lin-{Guid.NewGuid():N}@example.com");
        var codeKey = Guid.NewGuid().ToString();
        var confirmKey = Guid.NewGuid().ToString();

        await signup.Send(new SendOptions { IdempotencyKey = codeKey }).CodeAsync();
        var pending = await signup.GetOutput(codeKey).CodeAsync();
        var attaching = signup.Attach(codeKey).CodeAsync();
        await signup.ConfirmAsync("b00c", new CallOptions { IdempotencyKey = confirmKey });
        var attached = await attaching;
        var ready = await signup.GetOutput(codeKey).CodeAsync();
        await signup.Attach(confirmKey).ConfirmAsync();
        var confirmed = await signup.GetOutput(confirmKey).ConfirmAsync();

        Assert.False(pending.IsReady);
        Assert.Equal("b00c", attached);
        Assert.Equal(new InvocationOutput<string>(true, "b00c"), ready);
        Assert.True(confirmed);
    }

    [Fact]
    public async Task AttachAndGetOutput_WithAKeyNothingWasStartedWith_ThrowTerminalExceptionWith404()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var account = client.ObjectClient<AccountsIngressClient>("acc-" + Guid.NewGuid().ToString("N"));
        var key = Guid.NewGuid().ToString();

        // restate-server answers the attach as the invocation's outcome, and the output as the ingress's own refusal.
        var attach = await Assert.ThrowsAsync<TerminalException>(() => account.Attach(key).DepositAsync());
        var output = await Assert.ThrowsAsync<RestateIngressException>(() => account.GetOutput(key).DepositAsync());

        Assert.Equal((404, 404), (attach.Code, output.Code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AttachAndGetOutput_WithABlankIdempotencyKey_ThrowArgumentExceptionNamingIt(string key)
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var account = client.ObjectClient<AccountsIngressClient>("acc");
        var bank = client.ServiceClient<BankIngressClient>();

        var attach = Assert.Throws<ArgumentException>(() => account.Attach(key));
        var output = Assert.Throws<ArgumentException>(() => bank.GetOutput(key));
        var untyped = await Assert.ThrowsAsync<ArgumentException>(() => client.AttachAsync(Target.ForService("bank", "transfer"), key, Serde.Int64));

        Assert.Equal(("idempotencyKey", "idempotencyKey", "idempotencyKey"), (attach.ParamName, output.ParamName, untyped.ParamName));
    }
}
