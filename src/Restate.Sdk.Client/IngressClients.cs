namespace Restate.Sdk.Client;

/// <summary>
/// A generated typed client of a service for callers outside Restate (<c>…IngressClient</c>), from
/// <see cref="RestateClient.ServiceClient{TClient}"/>. The generator emits one for every <c>[Service]</c> class of a
/// project that references <c>Restate.Sdk.Client</c>.
/// </summary>
/// <typeparam name="TSelf">The generated client.</typeparam>
public interface IIngressServiceClient<TSelf>
    where TSelf : IIngressServiceClient<TSelf>
{
    /// <summary>Creates the client over <paramref name="client"/>.</summary>
    /// <param name="client">The ingress client every call goes through.</param>
    static abstract TSelf Create(RestateClient client);
}

/// <summary>
/// A generated typed client of one virtual object for callers outside Restate, from
/// <see cref="RestateClient.ObjectClient{TClient}"/>.
/// </summary>
/// <typeparam name="TSelf">The generated client.</typeparam>
public interface IIngressObjectClient<TSelf>
    where TSelf : IIngressObjectClient<TSelf>
{
    /// <summary>Creates the client of the object <paramref name="key"/> over <paramref name="client"/>.</summary>
    /// <param name="client">The ingress client every call goes through.</param>
    /// <param name="key">The object key.</param>
    static abstract TSelf Create(RestateClient client, string key);
}

/// <summary>
/// A generated typed client of one workflow run for callers outside Restate, from
/// <see cref="RestateClient.WorkflowClient{TClient}"/>: submit it, attach to it, read its result, call its shared handlers.
/// </summary>
/// <typeparam name="TSelf">The generated client.</typeparam>
public interface IIngressWorkflowClient<TSelf>
    where TSelf : IIngressWorkflowClient<TSelf>
{
    /// <summary>Creates the client of the workflow run <paramref name="key"/> over <paramref name="client"/>.</summary>
    /// <param name="client">The ingress client every call goes through.</param>
    /// <param name="key">The workflow id.</param>
    static abstract TSelf Create(RestateClient client, string key);
}
