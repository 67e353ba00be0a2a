using System.Collections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Restate.Sdk.Driver;
using Restate.Sdk.Engine;

namespace Restate.Sdk.Diagnostics;

/// <summary>
/// The logger behind <see cref="Context.Logger"/>: silent while the invocation replays its journal (so each line is
/// written once however often the handler is re-run), and every entry carries the invocation id and target as a scope.
/// </summary>
internal sealed class ReplayAwareLogger : ILogger
{
    private readonly InvocationCore _core;
    private readonly ILogger _inner;
    private InvocationScope? _scope;

    public ReplayAwareLogger(InvocationCore core)
    {
        _core = core;
        _inner = core.LoggerFactory?.CreateLogger(CategoryPrefix + core.Handler.ServiceName) ?? NullLogger.Instance;
    }

    /// <summary>Handler logs use the category <c>Restate.Handler.&lt;Service&gt;</c>.</summary>
    public const string CategoryPrefix = "Restate.Handler.";

    private bool Replaying => _core.StateMachine.State == StateMachineState.Replaying;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => !Replaying && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        _scope ??= new InvocationScope(_core.Input.InvocationId, _core.Target);
        using (_inner.BeginScope(_scope))
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>The scope every entry carries: <c>restate.invocation.id</c> and <c>restate.invocation.target</c>.</summary>
    private sealed class InvocationScope(string invocationId, string target) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _items =
        [
            new(RestateTelemetry.InvocationIdAttribute, invocationId),
            new(RestateTelemetry.InvocationTargetAttribute, target),
        ];

        public int Count => _items.Length;

        public KeyValuePair<string, object?> this[int index] => _items[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{_items[0].Value} {_items[1].Value}";
    }
}
