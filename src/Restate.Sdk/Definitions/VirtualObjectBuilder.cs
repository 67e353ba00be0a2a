namespace Restate.Sdk.Definitions;

/// <summary>A virtual object under construction; add handlers, then <see cref="ServiceBuilderBase{TSelf}.Build"/>.</summary>
public sealed class VirtualObjectBuilder : ServiceBuilderBase<VirtualObjectBuilder>
{
    internal VirtualObjectBuilder(string name, HandlerOptions? options)
        : base(name, ServiceKind.VirtualObject, options)
    {
    }

    /// <summary>Adds an exclusive handler (one at a time per key; may write state), taking input and returning output.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder Handler<TIn, TOut>(string name, Func<ObjectContext, TIn, Task<TOut>> handler, Serde<TIn>? input = null, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<ObjectContext, TIn, TOut>(name, HandlerKind.Exclusive, static core => new ObjectContext(core), handler, input, output, options);

    /// <summary>Adds an exclusive handler (one at a time per key; may write state), without input, returning output.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder Handler<TOut>(string name, Func<ObjectContext, Task<TOut>> handler, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<ObjectContext, Futures.Unit, TOut>(name, HandlerKind.Exclusive, static core => new ObjectContext(core), NoInput(handler), null, output, options);

    /// <summary>Adds an exclusive handler (one at a time per key; may write state), taking input, returning nothing.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder Handler<TIn>(string name, Func<ObjectContext, TIn, Task> handler, Serde<TIn>? input = null, HandlerOptions? options = null) =>
        Add<ObjectContext, TIn, Futures.Unit>(name, HandlerKind.Exclusive, static core => new ObjectContext(core), NoOutput(handler), input, null, options);

    /// <summary>Adds an exclusive handler (one at a time per key; may write state), without input or output.</summary>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder Handler(string name, Func<ObjectContext, Task> handler, HandlerOptions? options = null) =>
        Add<ObjectContext, Futures.Unit, Futures.Unit>(name, HandlerKind.Exclusive, static core => new ObjectContext(core), Neither(handler), null, null, options);

    /// <summary>Adds a shared handler (concurrent; reads state only), taking input and returning output.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder SharedHandler<TIn, TOut>(string name, Func<SharedObjectContext, TIn, Task<TOut>> handler, Serde<TIn>? input = null, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<SharedObjectContext, TIn, TOut>(name, HandlerKind.Shared, static core => new SharedObjectContext(core), handler, input, output, options);

    /// <summary>Adds a shared handler (concurrent; reads state only), without input, returning output.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder SharedHandler<TOut>(string name, Func<SharedObjectContext, Task<TOut>> handler, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<SharedObjectContext, Futures.Unit, TOut>(name, HandlerKind.Shared, static core => new SharedObjectContext(core), NoInput(handler), null, output, options);

    /// <summary>Adds a shared handler (concurrent; reads state only), taking input, returning nothing.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder SharedHandler<TIn>(string name, Func<SharedObjectContext, TIn, Task> handler, Serde<TIn>? input = null, HandlerOptions? options = null) =>
        Add<SharedObjectContext, TIn, Futures.Unit>(name, HandlerKind.Shared, static core => new SharedObjectContext(core), NoOutput(handler), input, null, options);

    /// <summary>Adds a shared handler (concurrent; reads state only), without input or output.</summary>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public VirtualObjectBuilder SharedHandler(string name, Func<SharedObjectContext, Task> handler, HandlerOptions? options = null) =>
        Add<SharedObjectContext, Futures.Unit, Futures.Unit>(name, HandlerKind.Shared, static core => new SharedObjectContext(core), Neither(handler), null, null, options);
}
