using System.Text.Json.Serialization;
using Restate.Sdk.Conformance.Services.Contracts;

namespace Restate.Sdk.Conformance.Services;

/// <summary>
/// The JSON shapes of the conformance contracts, as kotlinx.serialization writes them: camelCase names, optional
/// fields default to null, byte arrays as arrays of numbers, and sealed command hierarchies with a discriminator
/// field that may come anywhere in the object (Kotlin writes <c>kind</c> after the other fields).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    Converters = [typeof(ByteArrayAsNumbersConverter)])]
[JsonSerializable(typeof(CounterUpdateResponse))]
[JsonSerializable(typeof(FailureToPropagate))]
[JsonSerializable(typeof(MapEntry))]
[JsonSerializable(typeof(MapEntry[]))]
[JsonSerializable(typeof(ProxyRequest))]
[JsonSerializable(typeof(ManyCallRequest[]))]
[JsonSerializable(typeof(ResolveSignalRequest))]
[JsonSerializable(typeof(RejectSignalRequest))]
[JsonSerializable(typeof(BlockingOperation))]
[JsonSerializable(typeof(InterpretRequest))]
[JsonSerializable(typeof(ResolveAwakeableCommand))]
[JsonSerializable(typeof(RejectAwakeableCommand))]
[JsonSerializable(typeof(InterpreterProgram))]
[JsonSerializable(typeof(InterpreterId))]
[JsonSerializable(typeof(EchoLaterRequest))]
[JsonSerializable(typeof(IncrementViaAwakeableDanceRequest))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ConformanceJson : JsonSerializerContext;
