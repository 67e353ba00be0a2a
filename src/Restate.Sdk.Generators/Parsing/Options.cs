using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Restate.Sdk.Generators.Model;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>Where a set of options is declared, which decides the retention options it may set.</summary>
internal enum OptionsScope
{
    Class,
    WorkflowClass,
    Handler,
    WorkflowRunHandler,
}

/// <summary>Reads the option properties of a Restate attribute into an <see cref="OptionsModel"/>, checking their values.</summary>
internal static class Options
{
    private const string DurationHint = "use a duration such as \"500ms\", \"10s\", \"5m\", \"1h30m\" or \"2d\"";

    public static OptionsModel Read(AttributeData attribute, string? xmlSummary, List<DiagnosticInfo> diagnostics, OptionsScope scope)
    {
        var options = OptionsModel.Empty with { Documentation = xmlSummary };
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value.Value;
            switch (argument.Key)
            {
                case "Documentation":
                    options = options with { Documentation = value as string };
                    break;
                case "InactivityTimeout":
                    options = options with { InactivityTimeout = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "AbortTimeout":
                    options = options with { AbortTimeout = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "JournalRetention":
                    options = options with { JournalRetention = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "IdempotencyRetention":
                    if (scope == OptionsScope.WorkflowRunHandler)
                    {
                        Invalid(attribute, argument.Key, value, "the run handler of a workflow keeps its result for WorkflowCompletionRetention instead", diagnostics);
                        break;
                    }
                    options = options with { IdempotencyRetention = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "WorkflowCompletionRetention":
                    if (scope is not (OptionsScope.WorkflowClass or OptionsScope.WorkflowRunHandler))
                    {
                        Invalid(attribute, argument.Key, value, "only a workflow or its run handler has a completion retention", diagnostics);
                        break;
                    }
                    options = options with { WorkflowCompletionRetention = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "EnableLazyState":
                    options = options with { EnableLazyState = value as bool? };
                    break;
                case "IngressPrivate":
                    options = options with { IngressPrivate = value as bool? };
                    break;
                case "RetryInitialInterval":
                    options = options with { RetryInitialInterval = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "RetryMaxInterval":
                    options = options with { RetryMaxInterval = Duration(attribute, argument.Key, value, diagnostics) };
                    break;
                case "RetryMaxAttempts" when value is int attempts:
                    if (attempts < 1)
                    {
                        Invalid(attribute, argument.Key, value, "it must be at least 1", diagnostics);
                        break;
                    }
                    options = options with { RetryMaxAttempts = attempts };
                    break;
                case "RetryExponentiationFactor" when value is double factor:
                    if (!(factor >= 1) || double.IsInfinity(factor))
                    {
                        Invalid(attribute, argument.Key, value, "it must be a finite number of at least 1", diagnostics);
                        break;
                    }
                    options = options with { RetryExponentiationFactor = factor };
                    break;
                case "RetryOnMaxAttempts" when value is int onMax:
                    if (onMax is not (0 or 1))
                    {
                        Invalid(attribute, argument.Key, value, "use OnMaxAttempts.Pause or OnMaxAttempts.Kill", diagnostics);
                        break;
                    }
                    options = options with { RetryOnMaxAttempts = onMax };
                    break;
                case "OnJournalMismatch" when value is int onMismatch:
                    if (onMismatch is not (0 or 1 or 2))
                    {
                        Invalid(attribute, argument.Key, value, "use OnJournalMismatch.Retry, OnJournalMismatch.Pause or OnJournalMismatch.Fail", diagnostics);
                        break;
                    }
                    options = options with { OnJournalMismatch = onMismatch };
                    break;
            }
        }
        return options;
    }

    public static LocationInfo? NamedArgumentLocation(AttributeData attribute, string name) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax syntax
            ? LocationInfo.From(syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name) ?? (SyntaxNode)syntax)
            : null;

    private static long? Duration(AttributeData attribute, string name, object? value, List<DiagnosticInfo> diagnostics)
    {
        if (value is null)
        {
            return null;
        }
        if (Durations.TryParseMilliseconds(value as string, out var milliseconds))
        {
            return milliseconds;
        }
        Invalid(attribute, name, value, DurationHint, diagnostics);
        return null;
    }

    private static void Invalid(AttributeData attribute, string name, object? value, string why, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidOption, NamedArgumentLocation(attribute, name), name,
            System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null", why));
}
