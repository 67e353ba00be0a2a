using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Testing;

// What the fake runtime answers to an attempt's output, as restate-server would, from the scripts in the options.
internal sealed partial class FakeRuntime
{
    private sealed partial class Invocation<T>
    {
        private const uint FirstAwakeableSignal = 17;

        private readonly List<FakeRun> _invocationRuns = [];
        private int _calls;

        private AttemptEnd Answer(List<Frame> frames)
        {
            var journaledBefore = _journal.Count;
            var runsBefore = _invocationRuns.Count;
            var unresolvedBefore = _invocationRuns.Where(run => run.ResultBytes is null && run.Failure is null).ToList();
            var notified = false;
            var wakeUps = new List<DateTimeOffset>();
            var ended = false;
            SuspensionMessage? suspension = null;
            ErrorMessage? error = null;
            foreach (var frame in frames)
            {
                if (frame.Type.IsCommand())
                {
                    _journal.Add((frame.Type, frame.Payload.ToArray()));
                    notified |= AnswerCommand(frame, wakeUps);
                    continue;
                }
                switch (frame.Type)
                {
                    case MessageType.ProposeRunCompletion:
                        CompleteRun(ProposeRunCompletionMessage.Parser.ParseFrom(frame.Payload.Span));
                        notified = true;
                        break;
                    case MessageType.End:
                        ended = true;
                        break;
                    case MessageType.Suspension:
                        suspension = SuspensionMessage.Parser.ParseFrom(frame.Payload.Span);
                        break;
                    case MessageType.Error:
                        error = ErrorMessage.Parser.ParseFrom(frame.Payload.Span);
                        break;
                }
            }
            CountExecutions([.. unresolvedBefore, .. _invocationRuns.Skip(runsBefore)]);
            foreach (var wakeUp in wakeUps)
            {
                _runtime._clock.AdvanceTo(wakeUp);
            }
            if (ended)
            {
                return new AttemptEnd.Ended();
            }
            if (error is not null)
            {
                return new AttemptEnd.Failed(_journal.Count > journaledBefore, error, _handlerFailure ?? _runtime._interceptor.LastFailure);
            }
            if (suspension is null)
            {
                throw new InvalidOperationException("The attempt's output ended without an End, Suspension or Error message.");
            }
            notified |= AnswerSuspension(suspension);
            return new AttemptEnd.Suspended(notified, suspension);
        }

        /// <summary>Journals the answers to one command; true when it added a notification.</summary>
        private bool AnswerCommand(Frame frame, List<DateTimeOffset> wakeUps)
        {
            var payload = frame.Payload.Span;
            var state = _runtime._state;
            switch (frame.Type)
            {
                case MessageType.OutputCommand:
                    _output = OutputCommandMessage.Parser.ParseFrom(payload);
                    return false;
                case MessageType.SetStateCommand:
                    var set = SetStateCommandMessage.Parser.ParseFrom(payload);
                    state[set.Key.ToStringUtf8()] = set.Value.Content.ToByteArray();
                    return false;
                case MessageType.ClearStateCommand:
                    state.Remove(ClearStateCommandMessage.Parser.ParseFrom(payload).Key.ToStringUtf8());
                    return false;
                case MessageType.ClearAllStateCommand:
                    state.Clear();
                    return false;
                case MessageType.GetLazyStateCommand:
                    var get = GetLazyStateCommandMessage.Parser.ParseFrom(payload);
                    var read = new NotificationTemplate { CompletionId = get.ResultCompletionId };
                    if (state.TryGetValue(get.Key.ToStringUtf8(), out var value))
                    {
                        read.Value = new Value { Content = ByteString.CopyFrom(value) };
                    }
                    else
                    {
                        read.Void = new VoidResult();
                    }
                    return Notify(MessageType.GetLazyStateCompletionNotification, read);
                case MessageType.GetLazyStateKeysCommand:
                    var keys = new StateKeys();
                    keys.Keys.AddRange(state.Keys.Order(StringComparer.Ordinal).Select(ByteString.CopyFromUtf8));
                    return Notify(MessageType.GetLazyStateKeysCompletionNotification, new NotificationTemplate
                    {
                        CompletionId = GetLazyStateKeysCommandMessage.Parser.ParseFrom(payload).ResultCompletionId,
                        StateKeys = keys,
                    });
                case MessageType.SleepCommand:
                    var sleep = SleepCommandMessage.Parser.ParseFrom(payload);
                    var wakeUp = DateTimeOffset.FromUnixTimeMilliseconds((long)sleep.WakeUpTime);
                    _runtime._sleeps.Add(new FakeSleep(sleep.Name, wakeUp - _runtime._clock.Now, wakeUp));
                    wakeUps.Add(wakeUp);
                    return Notify(MessageType.SleepCompletionNotification,
                        new NotificationTemplate { CompletionId = sleep.ResultCompletionId, Void = new VoidResult() });
                case MessageType.CallCommand:
                    return AnswerCall(CallCommandMessage.Parser.ParseFrom(payload));
                case MessageType.OneWayCallCommand:
                    var send = OneWayCallCommandMessage.Parser.ParseFrom(payload);
                    _runtime._sends.Add(new FakeCall(_runtime.Serdes, send.ServiceName, send.HandlerName, KeyOf(send.Key),
                        send.Parameter.ToByteArray(), HeadersOf(send.Headers), send.HasIdempotencyKey ? send.IdempotencyKey : null,
                        send.InvokeTime == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)send.InvokeTime) - _runtime._clock.Now));
                    return Notify(MessageType.CallInvocationIdCompletionNotification,
                        new NotificationTemplate { CompletionId = send.InvocationIdNotificationIdx, InvocationId = NextCalleeId() });
                case MessageType.RunCommand:
                    var command = RunCommandMessage.Parser.ParseFrom(payload);
                    var run = new FakeRun(_runtime.Serdes, command.Name);
                    _runtime._runs.Add(run);
                    _invocationRuns.Add(run);
                    _runsByCompletion[command.ResultCompletionId] = run;
                    if (_runtime._options.RunScripts.TryGetValue(command.Name, out var script) && script.Result is { } result)
                    {
                        _replacedRuns[command.ResultCompletionId] = result(_runtime.Serdes);
                    }
                    return false;
                case MessageType.GetPromiseCommand:
                    var promise = GetPromiseCommandMessage.Parser.ParseFrom(payload);
                    if (_runtime._promises.TryGetValue(promise.Key, out var completed))
                    {
                        return Notify(MessageType.GetPromiseCompletionNotification, Completion(promise.ResultCompletionId, completed));
                    }
                    _promiseWaiters.Add((promise.Key, promise.ResultCompletionId));
                    _unanswered[promise.ResultCompletionId] =
                        $"promise '{promise.Key}', which nothing resolved: script it with ResolvePromise(\"{promise.Key}\", value) or RejectPromise(\"{promise.Key}\", reason) on the FakeContextOptions";
                    return false;
                case MessageType.PeekPromiseCommand:
                    var peek = PeekPromiseCommandMessage.Parser.ParseFrom(payload);
                    return Notify(MessageType.PeekPromiseCompletionNotification, _runtime._promises.TryGetValue(peek.Key, out var peeked)
                        ? Completion(peek.ResultCompletionId, peeked)
                        : new NotificationTemplate { CompletionId = peek.ResultCompletionId, Void = new VoidResult() });
                case MessageType.CompletePromiseCommand:
                    return CompletePromise(CompletePromiseCommandMessage.Parser.ParseFrom(payload));
                case MessageType.AttachInvocationCommand:
                    _unanswered[AttachInvocationCommandMessage.Parser.ParseFrom(payload).ResultCompletionId] =
                        "the output of another invocation (AttachInvocation), which the fake context does not provide";
                    return false;
                case MessageType.GetInvocationOutputCommand:
                    _unanswered[GetInvocationOutputCommandMessage.Parser.ParseFrom(payload).ResultCompletionId] =
                        "the output of another invocation (GetInvocationOutputAsync), which the fake context does not provide";
                    return false;
                case MessageType.CompleteAwakeableCommand:
                    var awakeable = CompleteAwakeableCommandMessage.Parser.ParseFrom(payload);
                    if (OwnAwakeableSignal(awakeable.AwakeableId) is not { } own || !_answeredSignals.Add(own))
                    {
                        return false;
                    }
                    var delivered = new NotificationTemplate { SignalId = own };
                    if (awakeable.ResultCase == CompleteAwakeableCommandMessage.ResultOneofCase.Failure)
                    {
                        delivered.Failure = awakeable.Failure;
                    }
                    else
                    {
                        delivered.Value = awakeable.Value;
                    }
                    return Notify(MessageType.SignalNotification, delivered);
                case MessageType.SendSignalCommand:
                    var signal = SendSignalCommandMessage.Parser.ParseFrom(payload);
                    if (signal.TargetInvocationId != _invocationId || signal.SignalIdCase != SendSignalCommandMessage.SignalIdOneofCase.Name
                        || !_answeredNamedSignals.Add(signal.Name))
                    {
                        return false;
                    }
                    var named = new NotificationTemplate { SignalName = signal.Name };
                    switch (signal.ResultCase)
                    {
                        case SendSignalCommandMessage.ResultOneofCase.Failure:
                            named.Failure = signal.Failure;
                            break;
                        case SendSignalCommandMessage.ResultOneofCase.Value:
                            named.Value = signal.Value;
                            break;
                        default:
                            named.Void = new VoidResult();
                            break;
                    }
                    return Notify(MessageType.SignalNotification, named);
                default:
                    // Eager state reads, signals and awakeable completions for other invocations: journaled, nothing to answer.
                    return false;
            }
        }

        private bool AnswerCall(CallCommandMessage call)
        {
            var key = KeyOf(call.Key);
            var recorded = new FakeCall(_runtime.Serdes, call.ServiceName, call.HandlerName, key, call.Parameter.ToByteArray(),
                HeadersOf(call.Headers), call.HasIdempotencyKey ? call.IdempotencyKey : null, null);
            _runtime._calls.Add(recorded);
            Notify(MessageType.CallInvocationIdCompletionNotification,
                new NotificationTemplate { CompletionId = call.InvocationIdNotificationIdx, InvocationId = NextCalleeId() });
            var scripts = _runtime._options.CallScripts;
            var script = scripts.LastOrDefault(s => s.Service == call.ServiceName && s.Handler == call.HandlerName && s.Key is not null && s.Key == key)
                ?? scripts.LastOrDefault(s => s.Service == call.ServiceName && s.Handler == call.HandlerName && s.Key is null);
            if (script is null)
            {
                var keyArgument = key is null ? string.Empty : $", key: \"{key}\"";
                _unanswered[call.ResultCompletionId] =
                    $"the response of the call to {recorded.Target}, which has none scripted: add one with RespondTo(\"{call.ServiceName}\", \"{call.HandlerName}\", request => response{keyArgument}) on the FakeContextOptions (CompleteCalls for a handler that returns nothing)";
                return true;
            }
            ScriptedResult response;
            try
            {
                response = new ScriptedResult(script.Respond(_runtime.Serdes, call.Parameter.Memory), null);
            }
            catch (TerminalException failure)
            {
                response = new ScriptedResult(null, failure);
            }
            return Notify(MessageType.CallCompletionNotification, Completion(call.ResultCompletionId, response));
        }

        private bool CompletePromise(CompletePromiseCommandMessage complete)
        {
            if (_runtime._promises.ContainsKey(complete.Key))
            {
                return Notify(MessageType.CompletePromiseCompletionNotification, Completion(complete.ResultCompletionId,
                    new ScriptedResult(null, new TerminalException($"Promise '{complete.Key}' was already completed.", TerminalException.CancelledCode))));
            }
            var value = complete.CompletionCase == CompletePromiseCommandMessage.CompletionOneofCase.CompletionValue
                ? new ScriptedResult(complete.CompletionValue.Content.ToByteArray(), null)
                : new ScriptedResult(null, Restate.Sdk.Driver.InvocationCore.ToException(InvocationStateMachine.ToTerminalFailure(complete.CompletionFailure)));
            _runtime._promises[complete.Key] = value;
            Notify(MessageType.CompletePromiseCompletionNotification,
                new NotificationTemplate { CompletionId = complete.ResultCompletionId, Void = new VoidResult() });
            foreach (var (_, completionId) in _promiseWaiters.Where(w => w.Promise == complete.Key))
            {
                _unanswered.Remove(completionId);
                Notify(MessageType.GetPromiseCompletionNotification, Completion(completionId, value));
            }
            _promiseWaiters.RemoveAll(w => w.Promise == complete.Key);
            return true;
        }

        private void CompleteRun(ProposeRunCompletionMessage proposal)
        {
            var run = _runsByCompletion[proposal.ResultCompletionId];
            var notification = new NotificationTemplate { CompletionId = proposal.ResultCompletionId };
            if (_replacedRuns.TryGetValue(proposal.ResultCompletionId, out var replaced))
            {
                notification.Value = new Value { Content = ByteString.CopyFrom(replaced) };
                run.ResultBytes = replaced;
            }
            else if (proposal.ResultCase == ProposeRunCompletionMessage.ResultOneofCase.Failure)
            {
                notification.Failure = proposal.Failure;
                run.Failure = Restate.Sdk.Driver.InvocationCore.ToException(InvocationStateMachine.ToTerminalFailure(proposal.Failure));
            }
            else
            {
                notification.Value = new Value { Content = proposal.Value };
                run.ResultBytes = proposal.Value.ToByteArray();
            }
            Notify(MessageType.RunCompletionNotification, notification);
        }

        /// <summary>Each run closure executed in this attempt counts for the earliest run of its name still without a result.</summary>
        private void CountExecutions(List<FakeRun> candidates)
        {
            foreach (var name in _runtime._interceptor.Executed())
            {
                var index = candidates.FindIndex(run => run.Name == name);
                if (index >= 0)
                {
                    candidates[index].Executions++;
                    candidates.RemoveAt(index);
                }
            }
        }

        /// <summary>Answers the awakeables and named signals a suspended attempt waits for, when the options resolve them.</summary>
        private bool AnswerSuspension(SuspensionMessage suspension)
        {
            var notified = false;
            foreach (var signal in suspension.WaitingSignals)
            {
                var index = (int)(signal - FirstAwakeableSignal);
                if (signal >= FirstAwakeableSignal && index < _runtime._options.Awakeables.Count && _answeredSignals.Add(signal))
                {
                    var notification = Completion(0, _runtime._options.Awakeables[index](_runtime.Serdes));
                    notification.SignalId = signal;
                    notified |= Notify(MessageType.SignalNotification, notification);
                }
            }
            foreach (var name in suspension.WaitingNamedSignals)
            {
                if (_runtime._options.Signals.TryGetValue(name, out var resolve) && _answeredNamedSignals.Add(name))
                {
                    var notification = Completion(0, resolve(_runtime.Serdes));
                    notification.SignalName = name;
                    notified |= Notify(MessageType.SignalNotification, notification);
                }
            }
            return notified;
        }

        private InvalidOperationException Stuck(SuspensionMessage suspension)
        {
            var awaited = new List<string>();
            foreach (var id in suspension.WaitingCompletions)
            {
                awaited.Add(_unanswered.TryGetValue(id, out var what) ? what : $"completion {id}");
            }
            foreach (var signal in suspension.WaitingSignals.Where(s => s >= FirstAwakeableSignal))
            {
                var ordinal = signal - FirstAwakeableSignal + 1;
                awaited.Add($"awakeable #{ordinal} (in creation order), which nothing resolved: script the first {ordinal} awakeable(s) with ResolveAwakeable(value) or RejectAwakeable(reason) on the FakeContextOptions");
            }
            foreach (var name in suspension.WaitingNamedSignals)
            {
                awaited.Add($"signal '{name}', which nothing sent: script it with ResolveSignal(\"{name}\", value) or RejectSignal(\"{name}\", reason) on the FakeContextOptions");
            }
            if (awaited.Count == 0)
            {
                awaited.Add("only the cancellation of the invocation, which the fake runtime never sends");
            }
            return new InvalidOperationException(
                $"The handler awaits something the fake runtime cannot complete, so it would wait forever: {string.Join("; ", awaited)}.");
        }

        private bool Notify(MessageType type, NotificationTemplate notification)
        {
            _journal.Add((type, notification.ToByteArray()));
            return true;
        }

        private static NotificationTemplate Completion(uint completionId, ScriptedResult result)
        {
            var notification = new NotificationTemplate();
            if (completionId != 0)
            {
                notification.CompletionId = completionId;
            }
            if (result.Failure is { } failure)
            {
                var proto = new Failure { Code = failure.Code, Message = failure.Message };
                foreach (var (key, value) in failure.Metadata)
                {
                    proto.Metadata.Add(new FailureMetadata { Key = key, Value = value });
                }
                notification.Failure = proto;
            }
            else
            {
                notification.Value = new Value { Content = ByteString.CopyFrom(result.Value) };
            }
            return notification;
        }

        /// <summary>The signal id behind an awakeable id of this invocation (<c>sign_1</c> + base64url(invocation id, signal id)), or null.</summary>
        private uint? OwnAwakeableSignal(string awakeableId)
        {
            const string prefix = "sign_1";
            if (!awakeableId.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }
            byte[] raw;
            try
            {
                raw = System.Buffers.Text.Base64Url.DecodeFromChars(awakeableId.AsSpan(prefix.Length));
            }
            catch (FormatException)
            {
                return null;
            }
            return raw.Length == _rawId.Length + 4 && raw.AsSpan(0, _rawId.Length).SequenceEqual(_rawId)
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(_rawId.Length))
                : null;
        }

        private string NextCalleeId() => $"{_invocationId}_callee{++_calls}";

        private static string? KeyOf(string key) => key.Length == 0 ? null : key;

        private static Dictionary<string, string> HeadersOf(Google.Protobuf.Collections.RepeatedField<Header> headers) =>
            headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);
    }
}
