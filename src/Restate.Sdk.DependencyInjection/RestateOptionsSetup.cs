using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// Binds <see cref="RestateOptions"/> from the app's configuration, checking each value where its configuration path is
/// still known, so that an error names the setting to fix. The binding itself is the configuration binder's source
/// generator (no reflection: Native AOT and trim safe).
/// </summary>
internal sealed class RestateConfigurationBinding(IConfiguration? configuration, RestateRegistry registry) : IConfigureOptions<RestateOptions>
{
    private const string IdentityKeysKey = nameof(RestateOptions.IdentityKeys);
    private const string ProtocolModeKey = nameof(RestateOptions.ProtocolMode);
    private const string OnJournalMismatchKey = nameof(RestateOptions.OnJournalMismatch);

    public void Configure(RestateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration is null)
        {
            return;
        }
        if (registry.ConfigurationSection is { } sectionName)
        {
            var section = configuration.GetSection(sectionName);
            CheckProtocolMode(section.GetSection(ProtocolModeKey));
            CheckOnJournalMismatch(section.GetSection(OnJournalMismatchKey));
            var keys = section.GetSection(IdentityKeysKey);
            foreach (var key in keys.GetChildren())
            {
                CheckKey(key.Value, $"Configuration '{key.Path}'");
            }
            section.Bind(options);
            // A scalar (an environment variable Restate__IdentityKeys=a,b) is no list to the binder: split it here.
            foreach (var key in SplitKeys(keys.Value))
            {
                CheckKey(key, $"Configuration '{keys.Path}'");
                options.IdentityKeys.Add(key);
            }
        }
        foreach (var key in SplitKeys(configuration[RestateOptions.IdentityKeysVariable]))
        {
            CheckKey(key, $"Configuration '{RestateOptions.IdentityKeysVariable}'");
            options.IdentityKeys.Add(key);
        }
    }

    internal static string[] SplitKeys(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static void CheckKey(string? key, string setting)
    {
        if (!RequestIdentityKey.IsValid(key, out var error))
        {
            throw new InvalidOperationException($"{setting} is not a request-identity public key: {error}");
        }
    }

    private static void CheckProtocolMode(IConfigurationSection setting)
    {
        if (!IsEnumName<ProtocolMode>(setting.Value))
        {
            throw new InvalidOperationException(
                $"Configuration '{setting.Path}' is '{setting.Value}', which is not a protocol mode: use {nameof(ProtocolMode.BidiStream)} or {nameof(ProtocolMode.RequestResponse)}.");
        }
    }

    private static void CheckOnJournalMismatch(IConfigurationSection setting)
    {
        if (!IsEnumName<OnJournalMismatch>(setting.Value))
        {
            throw new InvalidOperationException(
                $"Configuration '{setting.Path}' is '{setting.Value}', which is not a journal mismatch behaviour: use {nameof(OnJournalMismatch.Retry)}, {nameof(OnJournalMismatch.Pause)} or {nameof(OnJournalMismatch.Fail)}.");
        }
    }

    /// <summary>True for no value or a name of <typeparamref name="TEnum"/> in any casing, not a number.</summary>
    private static bool IsEnumName<TEnum>(string? value)
        where TEnum : struct, Enum =>
        // Names only: Enum.TryParse also takes numbers, which would let "7" through as an undefined value.
        string.IsNullOrEmpty(value)
        || (!char.IsAsciiDigit(value[0]) && value[0] is not ('-' or '+')
            && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed));
}

/// <summary>Checks <see cref="RestateOptions"/> as code left them (<see cref="RestateBuilder.Configure"/>), after binding.</summary>
internal sealed class RestateOptionsValidator : IValidateOptions<RestateOptions>
{
    public ValidateOptionsResult Validate(string? name, RestateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdentityKeys is null)
        {
            failures.Add($"{nameof(RestateOptions)}.{nameof(RestateOptions.IdentityKeys)} is null: leave it empty to accept unsigned requests.");
        }
        else
        {
            for (var i = 0; i < options.IdentityKeys.Count; i++)
            {
                if (!RequestIdentityKey.IsValid(options.IdentityKeys[i], out var error))
                {
                    failures.Add($"{nameof(RestateOptions)}.{nameof(RestateOptions.IdentityKeys)}[{i}] is not a request-identity public key: {error}");
                }
            }
        }
        if (!Enum.IsDefined(options.ProtocolMode))
        {
            failures.Add($"{nameof(RestateOptions)}.{nameof(RestateOptions.ProtocolMode)} is {(int)options.ProtocolMode}, which is not a protocol mode: use {nameof(ProtocolMode.BidiStream)} or {nameof(ProtocolMode.RequestResponse)}.");
        }
        if (!Enum.IsDefined(options.OnJournalMismatch))
        {
            failures.Add($"{nameof(RestateOptions)}.{nameof(RestateOptions.OnJournalMismatch)} is {(int)options.OnJournalMismatch}, which is not a journal mismatch behaviour: use {nameof(OnJournalMismatch.Retry)}, {nameof(OnJournalMismatch.Pause)} or {nameof(OnJournalMismatch.Fail)}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
