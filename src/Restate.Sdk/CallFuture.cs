using Restate.Sdk.Driver;
using Restate.Sdk.Futures;

namespace Restate.Sdk;

/// <summary>The response of a request-response call, plus the callee's invocation id.</summary>
/// <typeparam name="T">The response type.</typeparam>
public sealed class CallFuture<T> : DurableFuture<T>
{
    private readonly DurableFuture<T> _response;

    internal CallFuture(InvocationCore core, DurableFuture<T> response, DurableFuture<string> invocationId)
        : base(core)
    {
        _response = response;
        InvocationId = invocationId;
    }

    /// <summary>The callee's invocation id (use it to cancel or attach to the call).</summary>
    public DurableFuture<string> InvocationId { get; }

    internal override bool TryComplete()
    {
        if (IsResolved)
        {
            return true;
        }
        if (!_response.TryComplete())
        {
            return false;
        }
        Value = _response.Value;
        Failure = _response.Failure;
        IsResolved = true;
        return true;
    }

    internal override Engine.UnresolvedFuture? ToUnresolved() => IsResolved ? null : _response.ToUnresolved();
}

/// <summary>The completion of a request-response call to a handler that returns nothing, plus the callee's invocation id.</summary>
public sealed class CallFuture : DurableFuture
{
    private readonly CallFuture<Unit> _call;

    internal CallFuture(CallFuture<Unit> call)
        : base(call.Core)
    {
        _call = call;
    }

    /// <summary>The callee's invocation id (use it to cancel or attach to the call).</summary>
    public DurableFuture<string> InvocationId => _call.InvocationId;

    internal override bool TryComplete()
    {
        if (IsResolved)
        {
            return true;
        }
        if (!_call.TryComplete())
        {
            return false;
        }
        Failure = _call.Failure;
        IsResolved = true;
        return true;
    }

    internal override Engine.UnresolvedFuture? ToUnresolved() => IsResolved ? null : _call.ToUnresolved();
}

/// <summary>A one-way send: the callee runs on its own; this only tells its invocation id.</summary>
/// <param name="InvocationId">The callee's invocation id, once the runtime assigned it.</param>
public sealed record InvocationHandle(DurableFuture<string> InvocationId);

/// <summary>The output of another invocation, if it has finished.</summary>
/// <typeparam name="T">The output type.</typeparam>
/// <param name="IsReady">False while the invocation is still running.</param>
/// <param name="Value">The output when <paramref name="IsReady"/>.</param>
public sealed record InvocationOutput<T>(bool IsReady, T? Value);

/// <summary>What a promise peek returns: whether it was completed, and its value.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="IsCompleted">False while nobody completed the promise.</param>
/// <param name="Value">The value when completed successfully.</param>
public sealed record PromiseState<T>(bool IsCompleted, T? Value);

