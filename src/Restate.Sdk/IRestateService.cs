using Restate.Sdk.Definitions;

namespace Restate.Sdk;

/// <summary>
/// A service class whose <see cref="ServiceDefinition"/> runs each invocation attempt on an instance from a factory.
/// The Restate source generator implements it for every non-static <see cref="ServiceAttribute">[Service]</see>,
/// <see cref="VirtualObjectAttribute">[VirtualObject]</see> and <see cref="WorkflowAttribute">[Workflow]</see> class, so
/// hosts can build the definition from a type alone, without reflection: <c>restate.AddService&lt;Counter&gt;()</c>
/// resolves each attempt's instance from a dependency-injection scope.
/// </summary>
/// <typeparam name="TSelf">The service class itself.</typeparam>
public interface IRestateService<TSelf>
    where TSelf : IRestateService<TSelf>
{
    /// <summary>
    /// The Restate definition of the service, to bind to an endpoint; each invocation attempt that runs an instance
    /// handler calls <paramref name="factory"/> once for its instance. A class whose handlers are all static never calls it.
    /// </summary>
    /// <param name="factory">Creates the instance an attempt runs on.</param>
    /// <returns>The definition.</returns>
    static abstract ServiceDefinition Definition(Func<TSelf> factory);
}
