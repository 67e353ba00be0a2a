namespace Restate.Sdk;

/// <summary>
/// What the runtime does when a handler's server-side retry policy is exhausted
/// (<see cref="RestateOptionsAttribute.RetryOnMaxAttempts"/>, <see cref="Definitions.HandlerOptions.RetryOnMaxAttempts"/>).
/// </summary>
/// <remarks>In <c>Restate.Sdk</c>, beside the attributes that take it, so attribute users need no other namespace.</remarks>
public enum OnMaxAttempts
{
    /// <summary>Pause the invocation until an operator resumes it.</summary>
    Pause,

    /// <summary>Kill the invocation.</summary>
    Kill,
}
