namespace Restate.Sdk;

/// <summary>
/// A typed client of one virtual object (one key), created by <see cref="Context.ObjectClient{TClient}"/>. The Restate
/// source generator implements it for every <see cref="VirtualObjectAttribute">[VirtualObject]</see> class.
/// </summary>
/// <typeparam name="TSelf">The client type itself.</typeparam>
public interface IObjectClient<TSelf>
    where TSelf : IObjectClient<TSelf>
{
    /// <summary>Creates a client of the object <paramref name="key"/> whose calls are issued through <paramref name="context"/>.</summary>
    /// <param name="context">The calling handler's context.</param>
    /// <param name="key">The object key.</param>
    static abstract TSelf Create(Context context, string key);
}
