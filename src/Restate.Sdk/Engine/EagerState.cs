using Google.Protobuf;
using Google.Protobuf.Collections;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

/// <summary>
/// The state the runtime sent along with the StartMessage, kept current by the invocation's own writes, so reads can
/// be answered without a round trip. "Complete" means a key missing here is known to be absent.
/// </summary>
/// <remarks>
/// Every stored value is the memory of a <see cref="ByteString"/> (the StartMessage's, or the one a SetStateCommand was
/// built from), which nobody mutates; so values may be handed out and wrapped without copying.
/// </remarks>
internal sealed class EagerState
{
    // A null value records a key known to be absent (cleared, or missing from complete state).
    private readonly Dictionary<string, ReadOnlyMemory<byte>?> _entries = new(StringComparer.Ordinal);

    public bool IsComplete { get; private set; }

    public void Initialize(RepeatedField<StartMessage.Types.StateEntry> entries, bool partial)
    {
        foreach (var entry in entries)
        {
            _entries[entry.Key.ToStringUtf8()] = entry.Value.Memory;
        }
        IsComplete = !partial;
    }

    /// <summary>Known: <paramref name="value"/> is the value, or null when the key is known to be absent.</summary>
    public bool TryGet(string key, out ReadOnlyMemory<byte>? value)
    {
        if (_entries.TryGetValue(key, out value))
        {
            return true;
        }
        value = null;
        return IsComplete;
    }

    public void Set(string key, ByteString value) => _entries[key] = value.Memory;

    public void Clear(string key) => _entries[key] = null;

    public void ClearAll()
    {
        _entries.Clear();
        IsComplete = true;
    }

    /// <summary>The keys with a value, sorted ordinally; only meaningful when <see cref="IsComplete"/>.</summary>
    public string[] Keys()
    {
        var keys = _entries.Where(e => e.Value is not null).Select(e => e.Key).ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }
}
