using Restate.Sdk.Endpoint;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// Endpoint settings of the services registered with <c>AddRestate</c>, bound from configuration (the
/// <see cref="DefaultSectionName"/> section unless <see cref="RestateBuilder.BindConfiguration"/> names another), then
/// changed by <see cref="RestateBuilder.Configure"/>. They are read and validated once, when the endpoint is built
/// (<c>MapRestate()</c>, or the init phase of a Lambda function): a malformed value fails the start with a message naming
/// the setting.
/// </summary>
/// <example>
/// <code>
/// {
///   "Restate": {
///     "IdentityKeys": [ "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp" ],
///     "ProtocolMode": "RequestResponse",
///     "Services": {
///       "Greeter": { "InactivityTimeout": "00:05:00", "Handlers": { "greet": { "RetryMaxAttempts": 10 } } }
///     }
///   }
/// }
/// </code>
/// As environment variables: <c>Restate__IdentityKeys__0=publickeyv1_…</c> (or comma-separated in
/// <c>Restate__IdentityKeys</c>, or in <c>RESTATE_IDENTITY_KEYS</c>), <c>Restate__ProtocolMode=RequestResponse</c> and
/// <c>Restate__Services__Greeter__InactivityTimeout=00:05:00</c>.
/// </example>
public sealed class RestateOptions
{
    /// <summary>The configuration section read by default: <c>Restate</c>.</summary>
    public const string DefaultSectionName = "Restate";

    /// <summary>
    /// A configuration key read besides the section, for the deployments that set keys this way before:
    /// <c>RESTATE_IDENTITY_KEYS</c>, comma-separated. Its keys are added to the section's.
    /// </summary>
    public const string IdentityKeysVariable = "RESTATE_IDENTITY_KEYS";

    /// <summary>
    /// Request-identity public keys (<c>publickeyv1_…</c>): when any is set, only requests signed by a Restate server
    /// holding a matching private key are served, others get 401 (see
    /// <see cref="RestateEndpointBuilder.WithIdentityKeys"/>). Empty by default: requests are not checked.
    /// </summary>
    public IList<string> IdentityKeys { get; set; } = [];

    /// <summary>
    /// <see cref="Endpoint.ProtocolMode.BidiStream"/> (the default) or <see cref="Endpoint.ProtocolMode.RequestResponse"/>
    /// for deployments behind proxies that cannot stream HTTP/2 both ways (see
    /// <see cref="RestateEndpointBuilder.WithProtocolMode"/>). Configuration takes the names, in any casing.
    /// </summary>
    public ProtocolMode ProtocolMode { get; set; } = ProtocolMode.BidiStream;

    /// <summary>
    /// What restate-server does with an invocation whose handler no longer matches its journal, for every handler
    /// that does not set its own (<c>…:Handlers:&lt;Handler&gt;:OnJournalMismatch</c>): <c>Retry</c> (the default),
    /// <c>Pause</c> or <c>Fail</c> (see <see cref="RestateEndpointBuilder.WithJournalMismatchBehavior"/>; pause and fail
    /// need service protocol V7).
    /// </summary>
    public OnJournalMismatch OnJournalMismatch { get; set; } = OnJournalMismatch.Retry;

    /// <summary>
    /// Runtime settings per service, by the service's Restate name (<c>Restate:Services:&lt;Service&gt;:…</c>), and per
    /// handler (<c>…:Handlers:&lt;Handler&gt;:…</c>): timeouts, retention, retry policy, ingress visibility. They replace
    /// the values the code set; a name that matches no registered service or handler fails the start.
    /// </summary>
    public IDictionary<string, RestateServiceOptions> Services { get; set; } =
        new Dictionary<string, RestateServiceOptions>(StringComparer.OrdinalIgnoreCase);
}
