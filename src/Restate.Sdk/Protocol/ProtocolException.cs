namespace Restate.Sdk.Protocol;

/// <summary>The byte stream from the runtime cannot be decoded (answered with a 571 protocol violation).</summary>
internal sealed class ProtocolException(string message) : Exception(message);
