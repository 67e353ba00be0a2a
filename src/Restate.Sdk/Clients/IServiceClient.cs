namespace Restate.Sdk;

/// <summary>
/// A typed client of a plain service, created by <see cref="Context.ServiceClient{TClient}"/>. The Restate source
/// generator implements it for every <see cref="ServiceAttribute">[Service]</see> class (<c>&lt;Class&gt;Client</c>).
/// </summary>
/// <typeparam name="TSelf">The client type itself.</typeparam>
public interface IServiceClient<TSelf>
    where TSelf : IServiceClient<TSelf>
{
    /// <summary>Creates a client whose calls and sends are issued through <paramref name="context"/>.</summary>
    /// <param name="context">The calling handler's context.</param>
    static abstract TSelf Create(Context context);
}
