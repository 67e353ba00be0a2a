using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Definitions;
using Restate.Sdk.Diagnostics;
using Restate.Sdk.Engine;
using Restate.Sdk.Futures;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Driver;

/// <summary>
/// One invocation attempt: the state machine, the scheduler user code runs on, the driver that awaits durable results, the
/// run closures in flight, and the output stream towards the transport.
/// </summary>
/// <remarks>
/// All state machine access happens on <see cref="Scheduler"/>. Awaited futures are collected while user code runs; when the
/// scheduler goes idle the driver asks the state machine about all of them at once (as one combinator), resumes the ones that
/// resolved in registration order, starts runs the state machine asks for, or waits for input. Because the state machine is only asked at
/// quiescence, the commands user code issues come in the same order on every replay.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The attempt's cancellation source is disposed when the attempt ends (EndAttempt); the core lives exactly one attempt.")]
internal sealed partial class InvocationCore
{
    private static readonly AsyncLocal<bool> InsideRun = new();

    private readonly HandlerDefinition _handler;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _output = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _attemptCancellation = new();
    private readonly TaskCompletionSource _handlerUnwound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(DurableFuture Future, Action Continuation)> _awaits = [];

    // What _awaits still waits for, as last asked of the state machine; null once an await was added, resumed or
    // completed by user code, or the state machine reported a result. Kept otherwise, so that each step of a fan-out
    // (a run started, a run's result arriving) neither rebuilds the tree nor re-checks every future: nothing user code
    // can see has changed until the state machine says so.
    private UnresolvedFuture? _awaitedTree;
    private readonly Dictionary<uint, RunRegistration> _runs = [];
    private readonly AttemptTrace _trace;
    private readonly IReadOnlyList<RestateInterceptor> _interceptors;
    private readonly IReadOnlyList<Func<Exception, TerminalException?>> _terminalMappings;
    private readonly Func<IReadOnlyDictionary<string, string>>? _attemptHeaders;
    private IReadOnlyDictionary<string, string>? _attemptHeadersRead;
    private InvocationRequest? _request;
    private bool _keyed;
    private Activity? _attempt;
    private bool _started;
    private bool _ended;

    public InvocationCore(InvocationStateMachine stateMachine, HandlerDefinition handler, ILogger logger,
        ILoggerFactory? loggerFactory = null, AttemptTrace trace = default, IReadOnlyList<RestateInterceptor>? interceptors = null,
        SerdeResolver? serdes = null, IReadOnlyList<Func<Exception, TerminalException?>>? terminalMappings = null,
        Func<IReadOnlyDictionary<string, string>>? attemptHeaders = null, TimeProvider? time = null)
    {
        StateMachine = stateMachine;
        _handler = handler;
        _logger = logger;
        LoggerFactory = loggerFactory;
        _trace = trace;
        _interceptors = interceptors ?? [];
        Serdes = serdes ?? SerdeResolver.BuiltIns;
        _terminalMappings = terminalMappings ?? [];
        _attemptHeaders = attemptHeaders;
        Time = time ?? TimeProvider.System;
        Scheduler = new InvocationScheduler(OnIdle, OnSchedulerError);
        AttemptEnded = _attemptCancellation.Token;
    }

    /// <summary>How long an ended attempt waits for the handler's <c>finally</c> blocks before it reports completion anyway.</summary>
    public static TimeSpan UnwindGrace { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Cancelled when the attempt ends, however it ends (<see cref="Context.AttemptEnded"/>).</summary>
    public CancellationToken AttemptEnded { get; }

    /// <summary>True once the attempt's output is complete; pending awaits then throw <see cref="AttemptEndedException"/>.</summary>
    public bool HasEnded => _ended;

    /// <summary>Where <see cref="Context.Logger"/> writes; null means nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; }

    /// <summary>The invocation target as Restate names it: <c>Service/handler</c> or <c>Service/key/handler</c>.</summary>
    public string Target => RestateTelemetry.Target(_handler.ServiceName, Input.Key, _handler.Name);

    public InvocationStateMachine StateMachine { get; }

    /// <summary>The clock behind timers, delayed sends and <see cref="Context.NowAsync"/>; the system clock except in the test kit's fake runtime.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where values passed without a serde find theirs: the service's JSON contexts, then the endpoint's.</summary>
    public SerdeResolver Serdes { get; }

    public InvocationScheduler Scheduler { get; }

    public HandlerDefinition Handler => _handler;

    public InvocationInput Input { get; private set; } = null!;

    public RestateRandom Random { get; private set; } = null!;

    /// <summary>Frames to send to the runtime, in order; completes when the attempt ends.</summary>
    public ChannelReader<ReadOnlyMemory<byte>> Output => _output.Reader;

    /// <summary>
    /// Completes when the attempt ended (output written: End, Suspension or Error) and the handler has unwound (its
    /// <c>finally</c> blocks ran), or <see cref="UnwindGrace"/> after the output if they take longer. A transport that
    /// may be frozen after answering (Lambda) answers after this.
    /// </summary>
    public Task Completion => _completion.Task;

    public void NotifyInput(ReadOnlyMemory<byte> chunk) => Scheduler.Post(() =>
    {
        StateMachine.NotifyInput(chunk.Span);
        StartHandlerWhenReady();
    });

    public void NotifyInputClosed() => Scheduler.Post(() =>
    {
        StateMachine.NotifyInputClosed();
        StartHandlerWhenReady();
    });

    /// <summary>The transport lost the connection: fail the attempt so the runtime retries it.</summary>
    public void Abort(string reason) => Scheduler.Post(() =>
    {
        if (!_ended)
        {
            StateMachine.NotifyError(ErrorCodes.Internal, reason);
            EndAttempt();
        }
    });

    /// <summary>Throws unless called from handler code on this invocation's scheduler.</summary>
    public void EnsureUsable()
    {
        if (_ended && Scheduler.IsCurrent)
        {
            throw new AttemptEndedException(AttemptEnded);
        }
        if (InsideRun.Value)
        {
            throw new InvalidOperationException(
                "The Restate context cannot be used inside a RunAsync closure: a run is a side effect whose result is journaled; " +
                "issue calls, timers and state operations from the handler itself.");
        }
        if (!Scheduler.IsCurrent)
        {
            throw new InvalidOperationException(
                "The Restate context was used outside its invocation's scheduler (after ConfigureAwait(false), inside Task.Run, or from another thread). " +
                "Handler code must keep awaiting on the context it started on, so that the journal order stays deterministic.");
        }
    }

    /// <summary>
    /// Awaiter fast path: resolved already, or resolvable from results the state machine holds. After the attempt ended, every
    /// await completes at once, and reading the unresolved future throws <see cref="AttemptEndedException"/>.
    /// </summary>
    public bool TryCompleteNow(DurableFuture future)
    {
        if (future.IsResolved || _ended)
        {
            return true;
        }
        if (!Scheduler.IsCurrent)
        {
            return false;
        }
        // Completing it may take results the awaited tree still waits for.
        _awaitedTree = null;
        return future.TryComplete();
    }

    public void RegisterAwait(DurableFuture future, Action continuation)
    {
        if (Scheduler.IsCurrent)
        {
            Register();
        }
        else
        {
            Scheduler.Post(Register);
        }

        void Register()
        {
            if (_ended)
            {
                // Nothing will resolve it any more: resume at once, to throw AttemptEndedException and unwind.
                Scheduler.Post(continuation);
            }
            else
            {
                _awaits.Add((future, continuation));
                _awaitedTree = null;
            }
        }
    }

    public void RegisterRun(NotificationHandle handle, Func<CancellationToken, Task<ReadOnlyMemory<byte>>> closure,
        RetryPolicy policy, string name) =>
        _runs[handle.Value] = new RunRegistration(closure, policy, name);

    public DurableFuture<Unit> Sleep(TimeSpan duration, string name)
    {
        EnsureUsable();
        var handle = StateMachine.SysSleep(Time.GetUtcNow() + duration, name);
        return new LeafFuture<Unit>(this, handle, static value => value switch
        {
            NotificationValue.Failure failure => throw ToException(failure.Error),
            _ => Unit.Value,
        });
    }

    public static TerminalException ToException(TerminalFailure failure) =>
        new(failure.Message, failure.Code, failure.Metadata.ToDictionary(m => m.Key, m => m.Value));

    public static TerminalFailure ToFailure(TerminalException exception) =>
        new(exception.Code, exception.Message, [.. exception.Metadata]);

    private void StartHandlerWhenReady()
    {
        if (_started || _ended)
        {
            return;
        }
        bool ready;
        try
        {
            ready = StateMachine.IsReadyToExecute();
        }
        catch (StateMachineException)
        {
            EndAttempt();
            return;
        }
        if (!ready)
        {
            return;
        }
        _started = true;
        try
        {
            Input = StateMachine.SysInput();
        }
        catch (StateMachineException)
        {
            EndAttempt();
            return;
        }
        Random = new RestateRandom(Input.RandomSeed);
        var context = _handler.CreateContext(this);
        // Objects and workflows are keyed; their contexts derive from SharedObjectContext.
        _keyed = context is SharedObjectContext;
        _ = RunHandlerAsync(context);
    }

    private async Task RunHandlerAsync(Context context)
    {
        try
        {
            await InvokeHandlerAsync(context);
        }
        finally
        {
            _handlerUnwound.TrySetResult();
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Restate", "RESTATE109", Justification = "The SDK's own frame around the handler: it takes every outcome, the end of the attempt included.")]
    private async Task InvokeHandlerAsync(Context context)
    {
        // Started here, so the span is Activity.Current for the handler's code (and the HTTP calls it makes).
        _attempt = RestateTelemetry.StartAttempt(_handler.ServiceName, _handler.Name, Input.InvocationId, Target,
            _trace.TraceParent, _trace.TraceState);
        ReadOnlyMemory<byte> output = default;
        try
        {
            if (_interceptors.Count == 0)
            {
                output = await _handler.Invoke(context, Input.Body);
            }
            else
            {
                await Intercepted(0, async () => output = await _handler.Invoke(context, Input.Body),
                    static (interceptor, ctx, next) => interceptor.InterceptAttemptAsync(ctx, next), context);
            }
        }
        catch (Exception e)
        {
            OnHandlerFailed(e);
            return;
        }
        if (_ended)
        {
            return;
        }
        try
        {
            StateMachine.SysWriteOutput(new NotificationValue.Success(output));
            StateMachine.SysEnd();
        }
        catch (StateMachineException)
        {
            // The state machine already wrote the error; ending the attempt below flushes it.
        }
        EndAttempt();
    }

    private void OnHandlerFailed(Exception exception)
    {
        if (exception is not (TerminalException or StateMachineException or AttemptEndedException) && MapToTerminal(exception) is { } mapped)
        {
            exception = mapped;
        }
        if (_ended || StateMachine.IsClosed)
        {
            EndAttempt();
            return;
        }
        try
        {
            switch (exception)
            {
                case TerminalException terminal:
                    _attempt?.SetStatus(ActivityStatusCode.Error, terminal.Message);
                    Log.HandlerFailedTerminally(_logger, Input.InvocationId, _handler.FullName, terminal.Code, terminal.Message);
                    StateMachine.SysWriteOutput(new NotificationValue.Failure(ToFailure(terminal)));
                    StateMachine.SysEnd();
                    break;
                case StateMachineException:
                    break;
                default:
                    _attempt?.SetStatus(ActivityStatusCode.Error, exception.Message);
                    Log.HandlerFailed(_logger, exception, Input.InvocationId, _handler.FullName);
                    StateMachine.NotifyError(ErrorCodes.Internal, $"{exception.GetType().Name}: {exception.Message}", exception.ToString(),
                        nextRetryDelay: (exception as RetryableException)?.RetryAfter);
                    break;
            }
        }
        catch (StateMachineException)
        {
            // The state machine already wrote the error; ending the attempt below flushes it.
        }
        EndAttempt();
    }

    /// <summary>The driver: runs when the scheduler's queue is empty.</summary>
    private void OnIdle()
    {
        if (_ended)
        {
            return;
        }
        if (StateMachine.IsClosed)
        {
            EndAttempt();
            return;
        }
        try
        {
            while (_awaits.Count > 0)
            {
                if (_awaitedTree is null)
                {
                    if (ResumeResolvedAwaits())
                    {
                        break;
                    }
                    _awaitedTree = AwaitedTree();
                }
                var response = StateMachine.DoProgress(_awaitedTree);
                switch (response)
                {
                    case AwaitResponse.ExecuteRun run:
                        // Asked only while nothing awaited can complete: the same tree still describes the awaits.
                        StartRun(run.Handle);
                        break;
                    case AwaitResponse.CancelSignalReceived:
                        FailAwaitsWithCancellation();
                        break;
                    case AwaitResponse.WaitingExternalProgress:
                        FlushOutput();
                        return;
                    case AwaitResponse.AnyCompleted:
                        // Some await can resume: ResumeResolvedAwaits takes the results, then the tree is rebuilt.
                        _awaitedTree = null;
                        break;
                }
            }
        }
        catch (StateMachineException)
        {
            EndAttempt();
            return;
        }
        FlushOutput();
    }

    private UnresolvedFuture AwaitedTree()
    {
        if (_awaits.Count == 1)
        {
            return _awaits[0].Future.ToUnresolved()!;
        }
        var children = new List<UnresolvedFuture>(_awaits.Count);
        foreach (var (future, _) in _awaits)
        {
            children.Add(future.ToUnresolved()!);
        }
        return new UnresolvedFuture.Combinator(CombinatorKind.Unknown, children);
    }

    /// <summary>Resumes, in registration order, every awaiting continuation whose future resolved.</summary>
    private bool ResumeResolvedAwaits()
    {
        var resumed = false;
        for (var i = 0; i < _awaits.Count;)
        {
            var (future, continuation) = _awaits[i];
            if (future.TryComplete())
            {
                _awaits.RemoveAt(i);
                Scheduler.Post(continuation);
                resumed = true;
            }
            else
            {
                i++;
            }
        }
        return resumed;
    }

    private void FailAwaitsWithCancellation()
    {
        foreach (var (future, continuation) in _awaits)
        {
            future.FailAwaitWithCancellation();
            Scheduler.Post(continuation);
        }
        _awaits.Clear();
        _awaitedTree = null;
    }

    private void StartRun(NotificationHandle handle)
    {
        if (!_runs.Remove(handle.Value, out var run))
        {
            throw new StateMachineException(ErrorCodes.Internal, $"The state machine asked to execute run {handle}, which has no closure.");
        }
        var cancellation = _attemptCancellation.Token;
        _ = Task.Run(() => ExecuteRunAsync(handle, run, cancellation), CancellationToken.None);
    }

    private async Task ExecuteRunAsync(NotificationHandle handle, RunRegistration run, CancellationToken cancellation)
    {
        InsideRun.Value = true;
        using var activity = RestateTelemetry.StartRun(run.Name, _attempt, Input.InvocationId);
        var stopwatch = Stopwatch.StartNew();
        RunExitResult result;
        try
        {
            if (_interceptors.Count == 0)
            {
                result = new RunExitResult.Success(await run.Closure(cancellation));
            }
            else
            {
                ReadOnlyMemory<byte> value = default;
                await Intercepted(0, async () => value = await run.Closure(cancellation),
                    static (interceptor, execution, next) => interceptor.InterceptRunAsync(execution, next),
                    new RunExecution(run.Name, Request, cancellation));
                result = new RunExitResult.Success(value);
            }
        }
        catch (TerminalException terminal)
        {
            activity?.SetStatus(ActivityStatusCode.Error, terminal.Message);
            result = new RunExitResult.Terminal(ToFailure(terminal));
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && MapToTerminal(e) is { } mapped)
        {
            activity?.SetStatus(ActivityStatusCode.Error, mapped.Message);
            result = new RunExitResult.Terminal(ToFailure(mapped));
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Log.RunFailed(_logger, e, run.Name, Input.InvocationId);
            result = new RunExitResult.Retryable(ErrorCodes.Internal, $"{e.GetType().Name}: {e.Message}", e.ToString(), stopwatch.Elapsed,
                (e as RetryableException)?.RetryAfter);
        }
        Scheduler.Post(() =>
        {
            if (_ended)
            {
                return;
            }
            try
            {
                StateMachine.ProposeRunCompletion(handle, result, run.Policy);
            }
            catch (StateMachineException e)
            {
                if (e.Behavior == Protocol.ErrorBehavior.Pause && StateMachine.ProtocolVersionNumber < 7)
                {
                    Log.PauseNotExpressible(_logger, run.Name, Input.InvocationId, StateMachine.ProtocolVersionNumber);
                }
                EndAttempt();
            }
        });
    }

    private void FlushOutput()
    {
        var bytes = StateMachine.TakeOutput();
        if (!bytes.IsEmpty)
        {
            _output.Writer.TryWrite(bytes);
        }
    }

    /// <summary>
    /// Ends the attempt: the output is complete, the attempt's token is cancelled, and every continuation still waiting
    /// for a durable result is resumed, so the handler unwinds (its awaits throw <see cref="AttemptEndedException"/>)
    /// and its <c>finally</c> blocks run, here and now rather than never.
    /// </summary>
    private void EndAttempt()
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        if (StateMachine.MismatchBehaviorUnsent)
        {
            Log.MismatchBehaviorNotExpressible(_logger, _handler.FullName, StateMachine.OnJournalMismatch, StateMachine.ProtocolVersionNumber);
        }
        FlushOutput();
        _output.Writer.TryComplete();
        var pending = _awaits.ToArray();
        _awaits.Clear();
        _awaitedTree = null;
        try
        {
            _attemptCancellation.Cancel();
        }
        catch (AggregateException e)
        {
            // A callback the handler registered on AttemptEnded threw: the attempt is over either way.
            Log.AttemptEndedCallbackFailed(_logger, e, _handler.FullName);
        }
        foreach (var (_, continuation) in pending)
        {
            Scheduler.Post(continuation);
        }
        if (!_started)
        {
            _handlerUnwound.TrySetResult();
        }
        _ = CompleteWhenUnwoundAsync();
    }

    private async Task CompleteWhenUnwoundAsync()
    {
        try
        {
            await _handlerUnwound.Task.WaitAsync(UnwindGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.UnwindTookTooLong(_logger, _handler.FullName, UnwindGrace);
        }
        _attempt?.Dispose();
        _attemptCancellation.Dispose();
        _completion.TrySetResult();
    }

    private void OnSchedulerError(Exception exception)
    {
        Log.SchedulerFailure(_logger, exception, _handler.FullName);
        if (!_ended)
        {
            StateMachine.NotifyError(ErrorCodes.Internal, $"Internal SDK failure: {exception.Message}", exception.ToString());
            EndAttempt();
        }
    }

    /// <summary>The headers of the transport request that carries this attempt (empty when the transport gave none).</summary>
    internal IReadOnlyDictionary<string, string> AttemptHeaders =>
        _attemptHeadersRead ??= _attemptHeaders?.Invoke() ?? new Dictionary<string, string>();

    /// <summary>The invocation as the handler's <see cref="Context.Request"/> and interceptors see it.</summary>
    internal InvocationRequest Request => _request ??= new InvocationRequest(this, _keyed);

    /// <summary>The terminal error the endpoint's mappings make of <paramref name="exception"/>, or null to retry it.</summary>
    private TerminalException? MapToTerminal(Exception exception)
    {
        foreach (var mapping in _terminalMappings)
        {
            if (mapping(exception) is { } terminal)
            {
                return terminal;
            }
        }
        return null;
    }

    /// <summary>Runs <paramref name="innermost"/> inside the interceptors from <paramref name="index"/> on, the first outermost.</summary>
    private Task Intercepted<TState>(int index, Func<Task> innermost, Func<RestateInterceptor, TState, Func<Task>, Task> intercept, TState state) =>
        index == _interceptors.Count
            ? innermost()
            : intercept(_interceptors[index], state, () => Intercepted(index + 1, innermost, intercept, state));

    /// <summary>The W3C trace context restate-server sent with the attempt (headers <c>traceparent</c>, <c>tracestate</c>).</summary>
    internal readonly record struct AttemptTrace(string? TraceParent, string? TraceState);

    private sealed record RunRegistration(Func<CancellationToken, Task<ReadOnlyMemory<byte>>> Closure, RetryPolicy Policy, string Name);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {InvocationId} of {Handler} failed and will be retried")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string invocationId, string handler);

        [LoggerMessage(Level = LogLevel.Information, Message = "Invocation {InvocationId} of {Handler} failed terminally with {Code}: {Reason}")]
        public static partial void HandlerFailedTerminally(ILogger logger, string invocationId, string handler, ushort code, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Run '{RunName}' of invocation {InvocationId} failed")]
        public static partial void RunFailed(ILogger logger, Exception exception, string runName, string invocationId);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Run '{RunName}' of invocation {InvocationId} exhausted its retry policy, which asks to pause; protocol V{Version} cannot ask the runtime to pause (V7 can), so the failure is retried")]
        public static partial void PauseNotExpressible(ILogger logger, string runName, string invocationId, int version);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "{Handler} does not match its journal and is configured to {Behavior} on a journal mismatch; protocol V{Version} cannot say so (V7 can), so the runtime retries")]
        public static partial void MismatchBehaviorNotExpressible(ILogger logger, string handler, OnJournalMismatch behavior, int version);

        [LoggerMessage(Level = LogLevel.Error, Message = "Internal failure while running {Handler}")]
        public static partial void SchedulerFailure(ILogger logger, Exception exception, string handler);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A callback registered on AttemptEnded of {Handler} threw")]
        public static partial void AttemptEndedCallbackFailed(ILogger logger, Exception exception, string handler);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "{Handler} did not finish unwinding within {Grace} after its attempt ended (a finally block or a catch of AttemptEndedException keeps running); the attempt is reported complete anyway")]
        public static partial void UnwindTookTooLong(ILogger logger, string handler, TimeSpan grace);
    }
}
