using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// Whether an expression stands for work the Restate runtime completes: it holds a durable future, hands the context
/// to something (<c>Call(ctx, …)</c>), calls a local function that does, or reads a local assigned such work
/// (<c>var t = Call(ctx, …)</c>, <c>tasks.Add(Call(ctx, …))</c>). Reading plain values off the context (<c>ctx.Key</c>)
/// does not count. A syntactic, single-method approximation: it does not follow calls into other members.
/// </summary>
internal sealed class DurableWork
{
    private readonly RestateSymbols _symbols;
    private readonly IOperation _root;
    private readonly HashSet<ISymbol> _visited = new(SymbolEqualityComparer.Default);

    private DurableWork(RestateSymbols symbols, IOperation root)
    {
        _symbols = symbols;
        _root = root;
    }

    /// <summary>True when <paramref name="operation"/> involves durable work.</summary>
    public static bool Involves(IOperation operation, RestateSymbols symbols) =>
        new DurableWork(symbols, Operations.Root(operation)).Check(operation);

    private bool Check(IOperation operation)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (_symbols.IsDurableFuture(node.Type)
                || (_symbols.IsContext(node.Type) && !IsPlainValueRead(node))
                || (node is ILocalReferenceOperation local && _visited.Add(local.Local) && LocalHoldsDurableWork(local.Local))
                || (node is IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call && LocalFunctionDoesDurableWork(call.TargetMethod))
                || (node is IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference && LocalFunctionDoesDurableWork(reference.Method)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsPlainValueRead(IOperation contextReference) =>
        contextReference.Parent is IPropertyReferenceOperation property && property.Instance == contextReference;

    private bool LocalFunctionDoesDurableWork(IMethodSymbol function) =>
        _visited.Add(function.OriginalDefinition)
        && Operations.FindLocalFunction(_root, function) is { } declaration
        && Check(declaration);

    private bool LocalHoldsDurableWork(ILocalSymbol local)
    {
        foreach (var operation in _root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator
                    when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) && declarator.Initializer is { } initializer:
                    if (Check(initializer.Value))
                    {
                        return true;
                    }
                    break;
                case IAssignmentOperation assignment when IsLocal(assignment.Target, local):
                    if (Check(assignment.Value))
                    {
                        return true;
                    }
                    break;
                case IInvocationOperation invocation when IsLocal(invocation.Instance, local):
                    // tasks.Add(Call(ctx, …)): what goes into the local is in the arguments.
                    foreach (var argument in invocation.Arguments)
                    {
                        if (Check(argument))
                        {
                            return true;
                        }
                    }
                    break;
            }
        }
        return false;
    }

    private static bool IsLocal(IOperation? operation, ILocalSymbol local) =>
        operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
}
