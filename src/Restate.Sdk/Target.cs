namespace Restate.Sdk;

/// <summary>The handler a call or send goes to: a service handler, or a keyed virtual-object or workflow handler.</summary>
/// <param name="Service">The Restate service name.</param>
/// <param name="Handler">The handler name.</param>
/// <param name="Key">The object or workflow key; null for plain services.</param>
public readonly record struct Target(string Service, string Handler, string? Key = null)
{
    /// <summary>A handler of a plain service.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="handler">The handler name.</param>
    public static Target ForService(string service, string handler) => new(service, handler);

    /// <summary>A handler of the virtual object <paramref name="service"/> with key <paramref name="key"/>.</summary>
    /// <param name="service">The virtual object name.</param>
    /// <param name="key">The object key.</param>
    /// <param name="handler">The handler name.</param>
    public static Target ForObject(string service, string key, string handler) => new(service, handler, key);

    /// <summary>A handler of the workflow <paramref name="service"/> with id <paramref name="key"/>.</summary>
    /// <param name="service">The workflow name.</param>
    /// <param name="key">The workflow id.</param>
    /// <param name="handler">The handler name.</param>
    public static Target ForWorkflow(string service, string key, string handler) => new(service, handler, key);

    /// <inheritdoc />
    public override string ToString() => Key is null ? $"{Service}/{Handler}" : $"{Service}/{Key}/{Handler}";
}
