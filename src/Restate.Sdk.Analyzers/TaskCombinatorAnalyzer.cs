using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// RESTATE104 (<c>Task.WhenAll/WhenAny/WhenEach</c> over durable work) and RESTATE105 (synchronous waits on durable
/// work: <c>Task.WaitAll/WaitAny</c>, <c>Wait()</c>, <c>Result</c>, <c>GetAwaiter().GetResult()</c>) in handler code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskCombinatorAnalyzer : DiagnosticAnalyzer
{
    private const string Deadlock = "blocking the invocation's scheduler keeps it from delivering that work, so the attempt deadlocks";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RestateDiagnostics.TaskCombinator, RestateDiagnostics.BlockingWait);

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
            var types = new TaskTypes(start.Compilation);
            var scope = new HandlerScope(symbols);
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, scope, types), OperationKind.Invocation);
            start.RegisterOperationAction(operation => AnalyzeResult(operation, scope, types), OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, HandlerScope scope, TaskTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        switch (method.Name)
        {
            case "WhenAll" or "WhenAny" or "WhenEach" when method.IsStatic && TaskTypes.Is(type, types.Task):
                if (InHandler(context, scope) && AnyArgumentInvolvesDurableWork(invocation, scope.Symbols))
                {
                    Report(context, RestateDiagnostics.TaskCombinator, method.Name, method.Name switch
                    {
                        "WhenAll" => "'DurableFuture.All' (or 'DurableFuture.AllSettled')",
                        "WhenAny" => "'DurableFuture.Race' (or 'DurableFuture.Any')",
                        _ => "'DurableFuture.Race' over the futures still pending",
                    });
                }
                break;
            case "WaitAll" or "WaitAny" when method.IsStatic && TaskTypes.Is(type, types.Task):
                if (InHandler(context, scope) && AnyArgumentInvolvesDurableWork(invocation, scope.Symbols))
                {
                    Report(context, RestateDiagnostics.BlockingWait, $"Task.{method.Name}()", Deadlock);
                }
                break;
            case "Wait" when !method.IsStatic && TaskTypes.Is(type, types.Task):
                ReportIfDurable(context, scope, invocation.Instance, "Wait()");
                break;
            case "GetResult" when types.IsDurableFutureAwaiter(type):
                if (InHandler(context, scope))
                {
                    Report(context, RestateDiagnostics.BlockingWait, "GetAwaiter().GetResult()",
                        "on a durable future that has not resolved it returns a default value instead of waiting");
                }
                break;
            case "GetResult" when types.IsTaskAwaiter(type):
                ReportIfDurable(context, scope, invocation.Instance, "GetAwaiter().GetResult()");
                break;
        }
    }

    private static void AnalyzeResult(OperationAnalysisContext context, HandlerScope scope, TaskTypes types)
    {
        var property = (IPropertyReferenceOperation)context.Operation;
        if (property.Property.Name == "Result" && types.IsTaskWithResult(property.Property.ContainingType?.OriginalDefinition))
        {
            ReportIfDurable(context, scope, property.Instance, "Result");
        }
    }

    private static void ReportIfDurable(OperationAnalysisContext context, HandlerScope scope, IOperation? awaited, string display)
    {
        if (awaited is not null && InHandler(context, scope) && DurableWork.Involves(awaited, scope.Symbols))
        {
            Report(context, RestateDiagnostics.BlockingWait, display, Deadlock);
        }
    }

    private static bool InHandler(OperationAnalysisContext context, HandlerScope scope) =>
        scope.Of(context.Operation, context.ContainingSymbol).Kind == CodeScopeKind.Handler;

    private static bool AnyArgumentInvolvesDurableWork(IInvocationOperation invocation, RestateSymbols symbols)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (DurableWork.Involves(argument, symbols))
            {
                return true;
            }
        }
        return false;
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, string api, string detail) =>
        context.ReportDiagnostic(Diagnostic.Create(rule, Operations.MemberLocation(context.Operation), api, detail));

    /// <summary>The task and awaiter types, resolved once per compilation.</summary>
    private sealed class TaskTypes(Compilation compilation)
    {
        public INamedTypeSymbol? Task { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

        private readonly INamedTypeSymbol? _taskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        private readonly INamedTypeSymbol? _valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        private readonly INamedTypeSymbol? _taskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter");
        private readonly INamedTypeSymbol? _taskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter`1");
        private readonly INamedTypeSymbol? _valueTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter");
        private readonly INamedTypeSymbol? _valueTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter`1");
        private readonly INamedTypeSymbol? _durableFutureAwaiter = compilation.GetTypeByMetadataName("Restate.Sdk.DurableFutureAwaiter");
        private readonly INamedTypeSymbol? _durableFutureAwaiterOfT = compilation.GetTypeByMetadataName("Restate.Sdk.DurableFutureAwaiter`1");

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

        public bool IsTaskWithResult(ITypeSymbol? type) => Is(type, _taskOfT) || Is(type, _valueTaskOfT);

        public bool IsTaskAwaiter(ITypeSymbol? type) =>
            Is(type, _taskAwaiter) || Is(type, _taskAwaiterOfT) || Is(type, _valueTaskAwaiter) || Is(type, _valueTaskAwaiterOfT);

        public bool IsDurableFutureAwaiter(ITypeSymbol? type) => Is(type, _durableFutureAwaiter) || Is(type, _durableFutureAwaiterOfT);
    }
}
