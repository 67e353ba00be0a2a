using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Analyzers;

/// <summary>An API that does not belong in handler code: its rule, how to name it, and the durable alternative.</summary>
internal sealed class HandlerApi
{
    public HandlerApi(DiagnosticDescriptor rule, string display, string alternative)
    {
        Rule = rule;
        Display = display;
        Alternative = alternative;
    }

    public DiagnosticDescriptor Rule { get; }

    /// <summary>How the message names the API, e.g. <c>DateTime.UtcNow</c> or <c>Guid.NewGuid()</c>.</summary>
    public string Display { get; }

    /// <summary>The alternative; <c>{0}</c> stands for the handler's context parameter name.</summary>
    public string Alternative { get; }
}
