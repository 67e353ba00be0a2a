namespace Restate.Sdk.Definitions;

/// <summary>The three kinds of Restate services.</summary>
public enum ServiceKind
{
    /// <summary>Stateless handlers, any number running at once.</summary>
    Service,

    /// <summary>Keyed state; exclusive handlers run one at a time per key, shared handlers concurrently.</summary>
    VirtualObject,

    /// <summary>A run handler executed once per workflow id, plus shared handlers that interact with it.</summary>
    Workflow,
}

/// <summary>How a handler runs with respect to its key.</summary>
public enum HandlerKind
{
    /// <summary>A service handler, or a virtual-object handler holding the key's lock.</summary>
    Exclusive,

    /// <summary>A read-only handler that runs concurrently with others of the same key.</summary>
    Shared,

    /// <summary>The workflow's run handler.</summary>
    Workflow,
}
