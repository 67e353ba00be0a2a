using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// RESTATE109: a catch clause in handler code (outside <c>RunAsync</c> closures) that catches
/// <c>AttemptEndedException</c> through a base type (a bare <c>catch</c>, <c>Exception</c>, <c>SystemException</c>,
/// <c>OperationCanceledException</c>) or by name, with no filter and no <c>throw</c> in its block, so the end of the
/// attempt would be swallowed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SwallowedAttemptEndAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RestateDiagnostics.SwallowedAttemptEnd);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (RestateSymbols.Create(start.Compilation) is not { AttemptEnded: { } attemptEnded } symbols)
            {
                return;
            }
            var scope = new HandlerScope(symbols);
            start.RegisterOperationAction(operation => Analyze(operation, scope, attemptEnded), OperationKind.CatchClause);
        });
    }

    private static void Analyze(OperationAnalysisContext context, HandlerScope scope, INamedTypeSymbol attemptEnded)
    {
        var clause = (ICatchClauseOperation)context.Operation;
        if (clause.Filter is not null || !Catches(clause.ExceptionType, attemptEnded) || Rethrows(clause.Handler)
            || scope.Of(clause, context.ContainingSymbol).Kind != CodeScopeKind.Handler)
        {
            return;
        }
        var location = clause.Syntax is CatchClauseSyntax syntax
            ? Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.CatchKeyword.SpanStart,
                (syntax.Declaration?.Span ?? syntax.CatchKeyword.Span).End))
            : clause.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(RestateDiagnostics.SwallowedAttemptEnd, location));
    }

    /// <summary>True when the caught type is <c>AttemptEndedException</c> or one of its bases (a bare catch catches <c>object</c>).</summary>
    private static bool Catches(ITypeSymbol caught, INamedTypeSymbol attemptEnded)
    {
        if (caught.SpecialType == SpecialType.System_Object)
        {
            return true;
        }
        for (ITypeSymbol? type = attemptEnded; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, caught))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the catch block throws (rethrows, or throws another exception) anywhere outside nested functions.</summary>
    private static bool Rethrows(IBlockOperation block)
    {
        foreach (var operation in block.Descendants())
        {
            if (operation is IThrowOperation && !InsideNestedFunction(operation, block))
            {
                return true;
            }
        }
        return false;
    }

    private static bool InsideNestedFunction(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }
        return false;
    }
}
