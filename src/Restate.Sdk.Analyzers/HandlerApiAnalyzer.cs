using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// RESTATE100–103 and RESTATE106: clock reads, randomness, non-durable waits, environment reads and work started off
/// the invocation's scheduler, in handler code outside <c>RunAsync</c> closures.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerApiAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RestateDiagnostics.ClockRead,
        RestateDiagnostics.Randomness,
        RestateDiagnostics.NonDurableWait,
        RestateDiagnostics.EnvironmentRead,
        RestateDiagnostics.OffScheduler);

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
            var catalog = new HandlerApiCatalog(start.Compilation);
            start.RegisterOperationAction(
                operation => Analyze(operation, scope, catalog),
                OperationKind.PropertyReference, OperationKind.Invocation, OperationKind.MethodReference, OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, HandlerScope scope, HandlerApiCatalog catalog)
    {
        if (catalog.Match(context.Operation) is not { } api)
        {
            return;
        }
        var where = scope.Of(context.Operation, context.ContainingSymbol);
        if (where.Kind != CodeScopeKind.Handler)
        {
            return;
        }
        var alternative = string.Format(CultureInfo.InvariantCulture, api.Alternative, where.ContextName);
        context.ReportDiagnostic(Diagnostic.Create(api.Rule, Operations.MemberLocation(context.Operation), api.Display, alternative));
    }
}
