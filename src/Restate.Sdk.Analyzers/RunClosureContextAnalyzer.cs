using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// RESTATE108: a Restate context from the enclosing handler (parameter, local, field or property) used inside the
/// delegate passed to <c>Context.RunAsync</c>. Reading <c>Key</c>, <c>InvocationId</c> or <c>Headers</c> is allowed:
/// they are fixed when the invocation starts, the same on every attempt, and the SDK does not reject them there.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RunClosureContextAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> InvocationValues = ImmutableHashSet.Create("Key", "InvocationId", "Headers");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RestateDiagnostics.ContextInRunClosure);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (RestateSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }
            var scope = new HandlerScope(symbols);
            start.RegisterOperationAction(
                operation => Analyze(operation, scope),
                OperationKind.ParameterReference, OperationKind.LocalReference, OperationKind.FieldReference, OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, HandlerScope scope)
    {
        var reference = context.Operation;
        if (!scope.Symbols.IsContext(reference.Type) || ReadsInvocationValue(reference))
        {
            return;
        }
        var symbol = reference switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => (ISymbol)property.Property,
            _ => null,
        };
        if (symbol is null)
        {
            return;
        }
        var where = scope.Of(reference, context.ContainingSymbol);
        if (where.Kind != CodeScopeKind.RunClosure || where.Owner is not { } closure || DeclaredInside(symbol, closure))
        {
            return;
        }
        context.ReportDiagnostic(Diagnostic.Create(RestateDiagnostics.ContextInRunClosure, reference.Syntax.GetLocation(), symbol.Name));
    }

    private static bool ReadsInvocationValue(IOperation reference) =>
        reference.Parent is IPropertyReferenceOperation property && property.Instance == reference && InvocationValues.Contains(property.Property.Name);

    /// <summary>True for a parameter or local of the closure itself (or of a function nested in it).</summary>
    private static bool DeclaredInside(ISymbol symbol, SyntaxNode closure)
    {
        if (symbol is not (IParameterSymbol or ILocalSymbol))
        {
            return false;
        }
        foreach (var declaration in symbol.DeclaringSyntaxReferences)
        {
            if (declaration.SyntaxTree == closure.SyntaxTree && closure.Span.Contains(declaration.Span))
            {
                return true;
            }
        }
        return false;
    }
}
