namespace Restate.Sdk.Definitions;

/// <summary>A workflow under construction; add handlers, then <see cref="ServiceBuilderBase{TSelf}.Build"/>.</summary>
public sealed class WorkflowBuilder : ServiceBuilderBase<WorkflowBuilder>
{
    internal WorkflowBuilder(string name, HandlerOptions? options)
        : base(name, ServiceKind.Workflow, options)
    {
    }

    /// <summary>Adds the workflow's run handler (once per workflow id), taking input and returning output.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder Run<TIn, TOut>(string name, Func<WorkflowContext, TIn, Task<TOut>> handler, Serde<TIn>? input = null, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<WorkflowContext, TIn, TOut>(name, HandlerKind.Workflow, static core => new WorkflowContext(core), handler, input, output, options);

    /// <summary>Adds the workflow's run handler (once per workflow id), without input, returning output.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder Run<TOut>(string name, Func<WorkflowContext, Task<TOut>> handler, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<WorkflowContext, Futures.Unit, TOut>(name, HandlerKind.Workflow, static core => new WorkflowContext(core), NoInput(handler), null, output, options);

    /// <summary>Adds the workflow's run handler (once per workflow id), taking input, returning nothing.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder Run<TIn>(string name, Func<WorkflowContext, TIn, Task> handler, Serde<TIn>? input = null, HandlerOptions? options = null) =>
        Add<WorkflowContext, TIn, Futures.Unit>(name, HandlerKind.Workflow, static core => new WorkflowContext(core), NoOutput(handler), input, null, options);

    /// <summary>Adds the workflow's run handler (once per workflow id), without input or output.</summary>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder Run(string name, Func<WorkflowContext, Task> handler, HandlerOptions? options = null) =>
        Add<WorkflowContext, Futures.Unit, Futures.Unit>(name, HandlerKind.Workflow, static core => new WorkflowContext(core), Neither(handler), null, null, options);

    /// <summary>Adds a shared handler (signals, queries, promises), taking input and returning output.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder SharedHandler<TIn, TOut>(string name, Func<SharedWorkflowContext, TIn, Task<TOut>> handler, Serde<TIn>? input = null, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<SharedWorkflowContext, TIn, TOut>(name, HandlerKind.Shared, static core => new SharedWorkflowContext(core), handler, input, output, options);

    /// <summary>Adds a shared handler (signals, queries, promises), without input, returning output.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="output">How the output is encoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder SharedHandler<TOut>(string name, Func<SharedWorkflowContext, Task<TOut>> handler, Serde<TOut>? output = null, HandlerOptions? options = null) =>
        Add<SharedWorkflowContext, Futures.Unit, TOut>(name, HandlerKind.Shared, static core => new SharedWorkflowContext(core), NoInput(handler), null, output, options);

    /// <summary>Adds a shared handler (signals, queries, promises), taking input, returning nothing.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="input">How the input is decoded; null: found from the service's JSON contexts or the built-ins when it is built.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder SharedHandler<TIn>(string name, Func<SharedWorkflowContext, TIn, Task> handler, Serde<TIn>? input = null, HandlerOptions? options = null) =>
        Add<SharedWorkflowContext, TIn, Futures.Unit>(name, HandlerKind.Shared, static core => new SharedWorkflowContext(core), NoOutput(handler), input, null, options);

    /// <summary>Adds a shared handler (signals, queries, promises), without input or output.</summary>
    /// <param name="name">The Restate handler name.</param>
    /// <param name="handler">The handler code.</param>
    /// <param name="options">Handler-level runtime settings.</param>
    public WorkflowBuilder SharedHandler(string name, Func<SharedWorkflowContext, Task> handler, HandlerOptions? options = null) =>
        Add<SharedWorkflowContext, Futures.Unit, Futures.Unit>(name, HandlerKind.Shared, static core => new SharedWorkflowContext(core), Neither(handler), null, null, options);
}
