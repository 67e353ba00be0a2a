namespace Restate.Sdk.Futures;

/// <summary>The value of futures that carry no value.</summary>
internal readonly record struct Unit
{
    public static readonly Unit Value;
}
