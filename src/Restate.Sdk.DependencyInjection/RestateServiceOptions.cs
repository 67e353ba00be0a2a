using Restate.Sdk.Definitions;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// Runtime settings of one service (<c>Restate:Services:&lt;Service&gt;:…</c>, the service's Restate name), which apply
/// to all its handlers, and of its handlers (<c>…:Handlers:&lt;Handler&gt;:…</c>), read from configuration; each value
/// set replaces the code's (see <see cref="RestateHandlerOptions"/>).
/// </summary>
/// <example>
/// <code>
/// "Restate": {
///   "Services": {
///     "TripSaga": {
///       "InactivityTimeout": "00:05:00",
///       "Handlers": { "book": { "RetryMaxAttempts": 20, "RetryOnMaxAttempts": "Pause" } }
///     }
///   }
/// }
/// </code>
/// </example>
public sealed class RestateServiceOptions : RestateHandlerOptions
{
    /// <summary>Settings of single handlers, by handler name; they override the service's.</summary>
    public IDictionary<string, RestateHandlerOptions> Handlers { get; set; } =
        new Dictionary<string, RestateHandlerOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="definition"/> with these settings replacing the code's.
    /// </summary>
    /// <exception cref="InvalidOperationException">A handler is unknown, or a setting is misplaced or out of range.</exception>
    internal ServiceDefinition ApplyTo(ServiceDefinition definition, string setting)
    {
        var handlerOptions = new Dictionary<string, HandlerOptions?>(StringComparer.Ordinal);
        foreach (var (name, options) in Handlers)
        {
            var handler = definition.Handlers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(
                    $"Configuration '{setting}:Handlers:{name}' names no handler of '{definition.Name}'; its handlers are " +
                    $"{string.Join(", ", definition.Handlers.Select(h => h.Name))}.");
            if (options is not null)
            {
                handlerOptions[handler.Name] = options.ApplyTo(handler.Options);
            }
        }
        if (IsEmpty && handlerOptions.Count == 0)
        {
            return definition;
        }
        try
        {
            return definition.WithOptions(ApplyTo(definition.Options), handlerOptions);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Configuration '{setting}' is invalid: {e.Message}", e);
        }
    }
}
