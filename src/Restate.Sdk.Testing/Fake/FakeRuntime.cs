using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Restate.Sdk.Definitions;
using Restate.Sdk.Driver;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Testing;

/// <summary>
/// An in-memory stand-in for restate-server in request/response mode, driving the SDK's real engine: each attempt
/// gets the journal so far with its input closed, runs until it ends, suspends or fails, and the runtime answers what
/// the attempt journaled (calls from scripts, sleeps at once, runs with their proposed results) before the next
/// attempt replays. A suspension nothing can answer ends the invocation with a message naming what is awaited.
/// </summary>
/// <remarks>
/// Request/response rather than streaming because every attempt then has a definite end (the output completes), so
/// the fake never waits on a timeout, and because every answer goes through a replay, the determinism checks of the
/// real engine run in every test.
/// </remarks>
internal sealed partial class FakeRuntime
{
    // A loop that keeps making progress (a handler polling with sleeps) would otherwise never end.
    private const int MaxAttemptsWithProgress = 10_000;

    private readonly FakeContextOptions _options;
    private readonly HandlerKind _kind;
    private readonly Func<InvocationCore, Context> _createContext;
    private readonly FakeClock _clock;
    private readonly FakeRunInterceptor _interceptor;
    private readonly Dictionary<string, byte[]> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScriptedResult> _promises = new(StringComparer.Ordinal);
    private readonly List<FakeRun> _runs = [];
    private readonly List<FakeCall> _calls = [];
    private readonly List<FakeCall> _sends = [];
    private readonly List<FakeSleep> _sleeps = [];
    private int _invocations;
    private int _busy;

    public FakeRuntime(FakeContextOptions options, string? key, HandlerKind kind, Func<InvocationCore, Context> createContext)
    {
        _options = options;
        Key = key;
        _kind = kind;
        _createContext = createContext;
        Serdes = SerdeResolver.Create([.. options.JsonContexts.Select(SerdeResolver.From)]);
        _clock = new FakeClock(options.Now);
        _interceptor = new FakeRunInterceptor(options.RunScripts);
        foreach (var entry in options.InitialState)
        {
            var (name, value) = entry(Serdes);
            _state[name] = value;
        }
        foreach (var (name, promise) in options.Promises)
        {
            _promises[name] = promise(Serdes);
        }
    }

    public string? Key { get; }

    public SerdeResolver Serdes { get; }

    public DateTimeOffset Now => _clock.Now;

    public IReadOnlyDictionary<string, byte[]> State => _state;

    public IReadOnlyList<FakeRun> Runs => _runs;

    public IReadOnlyList<FakeCall> Calls => _calls;

    public IReadOnlyList<FakeCall> Sends => _sends;

    public IReadOnlyList<FakeSleep> Sleeps => _sleeps;

    /// <summary>Runs one invocation of <paramref name="handler"/> to its end and returns what the handler returned.</summary>
    public async Task<T> InvokeAsync<T>(Func<Context, Task<T>> handler)
    {
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException(
                "This fake context is already running an invocation: await InvokeAsync before starting the next one (a virtual object runs one exclusive handler at a time).");
        }
        try
        {
            var invocation = new Invocation<T>(this, handler, ++_invocations);
            return await invocation.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>One invocation: its journal and the attempts that build it.</summary>
    private sealed partial class Invocation<T>
    {
        private readonly FakeRuntime _runtime;
        private readonly HandlerDefinition _handler;
        private readonly string _invocationId;
        private readonly byte[] _rawId;
        private readonly List<(MessageType Type, byte[] Payload)> _journal = [];
        // What each completion id the runtime has not answered stands for, to say what a stuck handler awaits.
        private readonly Dictionary<uint, string> _unanswered = [];
        private readonly Dictionary<uint, FakeRun> _runsByCompletion = [];
        private readonly Dictionary<uint, byte[]> _replacedRuns = [];
        private readonly List<(string Promise, uint CompletionId)> _promiseWaiters = [];
        private readonly HashSet<uint> _answeredSignals = [];
        private readonly HashSet<string> _answeredNamedSignals = new(StringComparer.Ordinal);
        private readonly List<FakeRun> _unresolvedRuns = [];
        private bool _hasResult;
        private T _result = default!;
        private TerminalException? _terminal;
        private Exception? _handlerFailure;
        private OutputCommandMessage? _output;

        public Invocation(FakeRuntime runtime, Func<Context, Task<T>> handler, int number)
        {
            _runtime = runtime;
            _invocationId = $"inv_fake{number}";
            _rawId = Encoding.UTF8.GetBytes(_invocationId);
            _handler = new HandlerDefinition("Fake", "handler", runtime._kind, null, null, null, null, null, runtime._createContext,
                async (context, _) =>
                {
                    try
                    {
                        _result = await handler(context);
                        _hasResult = true;
                    }
                    catch (TerminalException e)
                    {
                        _terminal = e;
                        throw;
                    }
                    catch (Exception e) when (e is not (AttemptEndedException or StateMachineException))
                    {
                        _handlerFailure = e;
                        throw;
                    }
                    return ReadOnlyMemory<byte>.Empty;
                });
            var input = new InputCommandMessage { Value = new Value() };
            foreach (var (name, value) in runtime._options.Headers)
            {
                input.Headers.Add(new Header { Key = name, Value = value });
            }
            _journal.Add((MessageType.InputCommand, input.ToByteArray()));
        }

        public async Task<T> RunAsync()
        {
            uint retryCount = 0;
            var failedAttempts = 0;
            for (var attempt = 1; ; attempt++)
            {
                if (attempt > MaxAttemptsWithProgress)
                {
                    throw new InvalidOperationException(
                        $"The handler did not finish within {MaxAttemptsWithProgress} attempts of the fake runtime: it keeps awaiting new sleeps, calls or runs.");
                }
                var end = await RunAttemptAsync(retryCount).ConfigureAwait(false);
                switch (end)
                {
                    case AttemptEnd.Ended:
                        return Output();
                    case AttemptEnd.Suspended suspended when !suspended.Progressed:
                        throw Stuck(suspended.Message);
                    case AttemptEnd.Suspended:
                        retryCount = 0;
                        break;
                    case AttemptEnd.Failed failed:
                        if (failed.Error.Code is ErrorCodes.JournalMismatch or ErrorCodes.ProtocolViolation)
                        {
                            throw new InvalidOperationException(
                                $"The handler is not deterministic: replaying its journal failed with {failed.Error.Code}: {failed.Error.Message}");
                        }
                        if (++failedAttempts >= _runtime._options.MaxAttempts)
                        {
                            if (failed.Cause is { } cause)
                            {
                                ExceptionDispatchInfo.Throw(cause);
                            }
                            throw new InvalidOperationException(
                                $"The invocation failed {failedAttempts} time(s), the last with {failed.Error.Code}: {failed.Error.Message}");
                        }
                        retryCount = failed.Progressed ? 1 : retryCount + 1;
                        break;
                }
            }
        }

        private T Output()
        {
            if (_output!.ResultCase == OutputCommandMessage.ResultOneofCase.Failure)
            {
                throw _terminal ?? InvocationCore.ToException(InvocationStateMachine.ToTerminalFailure(_output.Failure));
            }
            return _hasResult ? _result : throw new InvalidOperationException("The invocation ended without the handler returning a value.");
        }

        private async Task<AttemptEnd> RunAttemptAsync(uint retryCount)
        {
            _hasResult = false;
            _terminal = null;
            _handlerFailure = null;
            _runtime._interceptor.BeginAttempt();
            // V6: the fake answers the flat V6 suspension and echoes run proposals as RunCompletionNotifications.
            var core = new InvocationCore(new InvocationStateMachine(6), _handler, NullLogger.Instance,
                interceptors: [_runtime._interceptor], serdes: _runtime.Serdes, time: _runtime._clock);
            core.NotifyInput(StartFrames(retryCount));
            core.NotifyInputClosed();
            var decoder = new FrameDecoder();
            var frames = new List<Frame>();
            await foreach (var chunk in core.Output.ReadAllAsync().ConfigureAwait(false))
            {
                decoder.Append(chunk.Span);
                while (decoder.TryRead(out var frame))
                {
                    frames.Add(frame);
                }
            }
            await core.Completion.ConfigureAwait(false);
            return Answer(frames);
        }

        private byte[] StartFrames(uint retryCount)
        {
            var start = new StartMessage
            {
                Id = ByteString.CopyFrom(_rawId),
                DebugId = _invocationId,
                KnownEntries = (uint)_journal.Count,
                PartialState = false,
                Key = _runtime.Key ?? string.Empty,
                RetryCountSinceLastStoredEntry = retryCount,
                RandomSeed = _runtime._options.RandomSeed,
            };
            foreach (var (name, value) in _runtime._state)
            {
                start.StateMap.Add(new StartMessage.Types.StateEntry { Key = ByteString.CopyFromUtf8(name), Value = ByteString.CopyFrom(value) });
            }
            var output = new ArrayBufferWriter<byte>();
            WriteFrame(output, MessageType.Start, start.ToByteArray());
            foreach (var (type, payload) in _journal)
            {
                WriteFrame(output, type, payload);
            }
            return output.WrittenSpan.ToArray();
        }

        private static void WriteFrame(ArrayBufferWriter<byte> output, MessageType type, byte[] payload)
        {
            new FrameHeader(type, 0, (uint)payload.Length).Write(output.GetSpan(FrameHeader.Size));
            output.Advance(FrameHeader.Size);
            output.Write(payload);
        }

        private abstract record AttemptEnd
        {
            public sealed record Ended : AttemptEnd;

            public sealed record Suspended(bool Progressed, SuspensionMessage Message) : AttemptEnd;

            public sealed record Failed(bool Progressed, ErrorMessage Error, Exception? Cause) : AttemptEnd;
        }
    }
}
