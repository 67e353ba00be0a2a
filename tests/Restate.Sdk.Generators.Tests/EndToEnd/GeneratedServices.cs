using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

[assembly: Restate.Sdk.RestateSerializer(typeof(Restate.Sdk.Generators.Tests.EndToEnd.BankJson))]

namespace Restate.Sdk.Generators.Tests.EndToEnd;

/// <summary>A deposit now and another one sent with a delay.</summary>
public sealed record Transfer(string Account, long Amount, long LaterAmount, int DelayMilliseconds);

public sealed record Receipt(long Balance, long BalanceRead, string DelayedInvocationId);

public sealed record Signup(string Email);

[JsonSerializable(typeof(Transfer))]
[JsonSerializable(typeof(Receipt))]
[JsonSerializable(typeof(Signup))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class BankJson : JsonSerializerContext;

/// <summary>Balances per account key.</summary>
[VirtualObject("accounts")]
public sealed partial class Accounts
{
    private static readonly StateKey<long> Balance = new("balance", Serde.Int64);

    [Handler("deposit")]
    public static async Task<long> DepositAsync(ObjectContext ctx, long amount)
    {
        var balance = await ctx.GetAsync(Balance) + amount;
        ctx.Set(Balance, balance);
        return balance;
    }

    [Shared]
    [Handler("balance")]
    public static async Task<long> GetBalanceAsync(SharedObjectContext ctx) => await ctx.GetAsync(Balance);

    // No serde: the generated definition registers the assembly's [RestateSerializer] context for the service.
    private static readonly StateKey<Signup> LastSignup = new("lastSignup");

    [Handler("rememberSignup")]
    public static async Task<Signup> RememberSignupAsync(ObjectContext ctx, Signup signup)
    {
        var normalized = await ctx.RunAsync("normalize", _ => Task.FromResult(signup with { Email = signup.Email.ToLowerInvariant() }));
        ctx.Set(LastSignup, normalized);
        return await ctx.GetAsync(LastSignup) ?? throw new TerminalException("just written, yet absent");
    }
}

/// <summary>Moves money through the typed client of <see cref="Accounts"/>.</summary>
[Service("bank")]
public sealed partial class Bank(string confirmationCode)
{
    /// <summary>Deposits now (a call) and later (a delayed send).</summary>
    [Handler("transfer")]
    public static async Task<Receipt> TransferAsync(Context ctx, Transfer transfer)
    {
        var account = ctx.ObjectClient<AccountsClient>(transfer.Account);
        var balance = await account.DepositAsync(transfer.Amount);
        var read = await account.GetBalanceAsync();
        var later = account.Send(new SendOptions { Delay = TimeSpan.FromMilliseconds(transfer.DelayMilliseconds) })
            .Deposit(transfer.LaterAmount);
        return new Receipt(balance, read, await later.InvocationId);
    }

    /// <summary>Completes a signup workflow through its typed client (a call to a handler without output).</summary>
    [Handler("confirmSignup")]
    public async Task ConfirmSignupAsync(Context ctx, string email) =>
        await ctx.WorkflowClient<SignupFlowClient>(email).ConfirmAsync(confirmationCode);
}

/// <summary>A run handler waiting for a promise that a shared handler completes.</summary>
[Workflow("signup")]
public static partial class SignupFlow
{
    [Handler("run")]
    public static async Task<string> RunAsync(WorkflowContext ctx, Signup signup)
    {
        var code = await ctx.Promise("code", Serde.String).GetAsync();
        return $"{signup.Email} confirmed with {code}";
    }

    [Shared]
    [Handler("confirm")]
    public static async Task ConfirmAsync(SharedWorkflowContext ctx, string code) => await ctx.Promise("code", Serde.String).ResolveAsync(code);

    /// <summary>Waits for the code <see cref="ConfirmAsync"/> resolves, so its invocations stay pending until then.</summary>
    [Shared]
    [Handler("code")]
    public static async Task<string> CodeAsync(SharedWorkflowContext ctx) => await ctx.Promise("code", Serde.String).GetAsync();
}

/// <summary>Hands nullable built-in inputs back as they were read, so an empty request body shows up as null.</summary>
[Service("nullables")]
public static partial class Nullables
{
    [Handler("text")]
    public static Task<string?> TextAsync(Context ctx, string? text) => Task.FromResult(text);

    [Handler("number")]
    public static Task<int?> NumberAsync(Context ctx, int? number) => Task.FromResult(number);
}

/// <summary>
/// Receives signed JSON events, like a payment provider's webhook: the signature (hex HMAC-SHA256 in
/// <c>x-signature</c>) is over the exact request body, so the body is read raw, never re-serialized.
/// </summary>
[Service("webhooks")]
public static partial class Webhooks
{
    public const string SignatureHeader = "x-signature";

    public static ReadOnlySpan<byte> SigningKey => "whsec_generated_e2e"u8;

    [Handler("receive", Accept = "application/json", ContentType = "text/plain")]
    [return: Serde(typeof(Utf8TextSerde))]
    public static Task<string> ReceiveAsync(Context ctx, ReadOnlyMemory<byte> body)
    {
        var headers = ctx.Request.Headers;
        var expected = Encoding.ASCII.GetBytes(Sign(body.Span));
        var signature = Encoding.ASCII.GetBytes(headers.GetValueOrDefault(SignatureHeader, ""));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            throw new TerminalException("The signature does not match the body.", 401);
        }
        return Task.FromResult($"verified {body.Length} bytes of {headers.GetValueOrDefault("content-type", "no content-type")}");
    }

    public static string Sign(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey, body));
}

/// <summary>A string as plain UTF-8 text, not as a JSON string.</summary>
public sealed class Utf8TextSerde : Serde<string>
{
    public override string ContentType => "text/plain";

    public override ReadOnlyMemory<byte> Serialize(string value) => Encoding.UTF8.GetBytes(value);

    public override string Deserialize(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
