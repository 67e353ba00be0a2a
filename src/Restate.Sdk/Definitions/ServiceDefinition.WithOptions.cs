namespace Restate.Sdk.Definitions;

public sealed partial class ServiceDefinition
{
    /// <summary>
    /// A copy of this definition with other runtime settings, for hosts that let deployments override them (from
    /// configuration, say) after the code defined the service. The handlers, serdes and content types are this
    /// definition's; the copy is checked as <c>Build()</c> checks a definition.
    /// </summary>
    /// <param name="serviceOptions">The service's options in the copy (null: none).</param>
    /// <param name="handlerOptions">
    /// The options of the handlers named, by handler name (a null value: none); handlers not named keep theirs.
    /// </param>
    /// <returns>The copy; this definition is unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="handlerOptions"/> names a handler the service does not have.</exception>
    /// <exception cref="InvalidOperationException">
    /// A handler's <see cref="HandlerOptions.Accept"/> or <see cref="HandlerOptions.ContentType"/> would change (they
    /// describe the handler's serdes, which stay), or an option is one restate-server would refuse; the message names it.
    /// </exception>
    public ServiceDefinition WithOptions(HandlerOptions? serviceOptions, IReadOnlyDictionary<string, HandlerOptions?>? handlerOptions = null)
    {
        var handlers = new List<HandlerDefinition>(Handlers.Count);
        foreach (var handler in Handlers)
        {
            if (handlerOptions is null || !handlerOptions.TryGetValue(handler.Name, out var options))
            {
                handlers.Add(handler);
                continue;
            }
            if (options?.Accept != handler.Options?.Accept || options?.ContentType != handler.Options?.ContentType)
            {
                throw new InvalidOperationException(
                    $"Handler '{Name}/{handler.Name}': Accept and ContentType describe the handler's serdes and are set where " +
                    "the handler is defined; keep them unchanged when replacing its options.");
            }
            handlers.Add(handler.WithOptions(options));
        }
        if (handlerOptions is not null)
        {
            foreach (var name in handlerOptions.Keys)
            {
                if (!HandlersByName.ContainsKey(name))
                {
                    throw new ArgumentException(
                        $"Service '{Name}' has no handler named '{name}'; its handlers are {string.Join(", ", Handlers.Select(h => h.Name))}.",
                        nameof(handlerOptions));
                }
            }
        }
        OptionRules.Validate(Name, Kind, serviceOptions, handlers);
        return new ServiceDefinition(Name, Kind, handlers, serviceOptions, Serdes);
    }
}
