namespace Restate.Sdk.Definitions;

/// <summary>A stateless service under construction; add handlers, then <see cref="ServiceBuilderBase{TSelf}.Build"/>.</summary>
public sealed class ServiceBuilder : ServiceBuilderBase<ServiceBuilder>
{
    internal ServiceBuilder(string name, HandlerOptions? options)
        : base(name, ServiceKind.Service, options)
    {
    }

    /// <summary>Adds a handler, taking input and returning output.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public ServiceBuilder Handler<TIn, TOut>(string name, Func<Context, TIn, Task<TOut>> handler, Serde<TIn>? input = null, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<Context, TIn, TOut>(name, HandlerKind.Exclusive, static core => new Context(core), handler, input, output, options);

    /// <summary>Adds a handler, without input, returning output.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public ServiceBuilder Handler<TOut>(string name, Func<Context, Task<TOut>> handler, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<Context, Futures.Unit, TOut>(name, HandlerKind.Exclusive, static core => new Context(core), NoInput(handler), null, output, options);

    /// <summary>Adds a handler, taking input, returning nothing.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public ServiceBuilder Handler<TIn>(string name, Func<Context, TIn, Task> handler, Serde<TIn>? input = null, HandlerOptions? options = null) =>
        Add<Context, TIn, Futures.Unit>(name, HandlerKind.Exclusive, static core => new Context(core), NoOutput(handler), input, null, options);

    /// <summary>Adds a handler, without input or output.</summary>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public ServiceBuilder Handler(string name, Func<Context, Task> handler, HandlerOptions? options = null) =>
        Add<Context, Futures.Unit, Futures.Unit>(name, HandlerKind.Exclusive, static core => new Context(core), Neither(handler), null, null, options);
}
