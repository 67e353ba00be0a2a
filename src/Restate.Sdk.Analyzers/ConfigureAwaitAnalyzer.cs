using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// RESTATE107: <c>ConfigureAwait(false)</c> (or <c>ConfigureAwaitOptions</c> without <c>ContinueOnCapturedContext</c>)
/// in handler code outside <c>RunAsync</c> closures. Durable futures have no <c>ConfigureAwait</c>; on tasks it moves
/// the rest of the handler off the invocation's scheduler.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigureAwaitAnalyzer : DiagnosticAnalyzer
{
    // ConfigureAwaitOptions.ContinueOnCapturedContext.
    private const int ContinueOnCapturedContext = 1;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RestateDiagnostics.ConfigureAwaitFalse);

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
            var awaitables = ImmutableArray.Create(
                start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"),
                start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1"),
                start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask"),
                start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1"),
                start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskAsyncEnumerableExtensions"),
                start.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable`1"));
            start.RegisterOperationAction(operation => Analyze(operation, scope, awaitables), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, HandlerScope scope, ImmutableArray<INamedTypeSymbol?> awaitables)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "ConfigureAwait" || !IsAny(method.ContainingType?.OriginalDefinition, awaitables)
            || !LeavesContext(invocation) || scope.Of(invocation, context.ContainingSymbol).Kind != CodeScopeKind.Handler)
        {
            return;
        }
        var location = Location(invocation);
        var display = location.SourceTree?.GetText(context.CancellationToken).ToString(location.SourceSpan) ?? "ConfigureAwait(false)";
        context.ReportDiagnostic(Diagnostic.Create(RestateDiagnostics.ConfigureAwaitFalse, location, display));
    }

    /// <summary>True for a constant <c>false</c>, or constant options without ContinueOnCapturedContext; unknown values pass.</summary>
    private static bool LeavesContext(IInvocationOperation invocation)
    {
        // The flag is the last parameter: ConfigureAwait(bool), ConfigureAwait(ConfigureAwaitOptions), or the
        // extension ConfigureAwait(this IAsyncEnumerable<T>, bool).
        var last = invocation.TargetMethod.Parameters.Length - 1;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal != last)
            {
                continue;
            }
            var constant = argument.Value.ConstantValue;
            return constant.HasValue && constant.Value switch
            {
                bool continueOnCapturedContext => !continueOnCapturedContext,
                int options => (options & ContinueOnCapturedContext) == 0,
                _ => false,
            };
        }
        return false;
    }

    /// <summary><c>ConfigureAwait(false)</c> itself, without the awaited expression before it.</summary>
    private static Location Location(IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
            ? Microsoft.CodeAnalysis.Location.Create(invocation.Syntax.SyntaxTree, TextSpan.FromBounds(access.Name.SpanStart, invocation.Syntax.Span.End))
            : invocation.Syntax.GetLocation();

    private static bool IsAny(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is not null && SymbolEqualityComparer.Default.Equals(type, candidate))
            {
                return true;
            }
        }
        return false;
    }
}
