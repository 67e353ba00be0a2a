using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// Decides whether an operation is handler code. The innermost enclosing function decides: a lambda, local function or
/// method with a Restate context parameter is handler code; the delegate passed to <c>Context.RunAsync</c> (a lambda,
/// or a local function used only from run closures) is a run closure; other lambdas inherit from their enclosing code.
/// </summary>
internal sealed class HandlerScope
{
    private readonly RestateSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _runOnlyLocalFunctions = new(SymbolEqualityComparer.Default);

    public HandlerScope(RestateSymbols symbols) => _symbols = symbols;

    public RestateSymbols Symbols => _symbols;

    /// <summary>The scope of <paramref name="operation"/>, reported from an action on <paramref name="containingSymbol"/>.</summary>
    public CodeScope Of(IOperation operation, ISymbol containingSymbol) => Of(operation, containingSymbol, visiting: null);

    /// <summary>True when <paramref name="operation"/> (a lambda or method reference) is an argument of <c>Context.RunAsync</c>.</summary>
    public bool IsRunAsyncArgument(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }
        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && _symbols.IsRunAsync(invocation.TargetMethod);
    }

    private CodeScope Of(IOperation operation, ISymbol containingSymbol, HashSet<IMethodSymbol>? visiting)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation function:
                    if (IsRunAsyncArgument(function))
                    {
                        return CodeScope.RunClosure(function.Syntax);
                    }
                    if (_symbols.ContextParameter(function.Symbol) is { } lambdaContext)
                    {
                        return CodeScope.Handler(function.Syntax, lambdaContext);
                    }
                    break;
                case ILocalFunctionOperation local:
                    if (_symbols.ContextParameter(local.Symbol) is { } localContext)
                    {
                        return CodeScope.Handler(local.Syntax, localContext);
                    }
                    if (RunsOnlyInRunClosures(local, containingSymbol, visiting))
                    {
                        return CodeScope.RunClosure(local.Syntax);
                    }
                    break;
            }
        }
        return _symbols.ContextParameter(EnclosingMember(containingSymbol)) is { } memberContext
            ? CodeScope.Handler(null, memberContext)
            : CodeScope.Other;
    }

    /// <summary>
    /// A local function without a context parameter counts as a run closure when it is used, and only used, as a
    /// <c>RunAsync</c> argument or from run closures (<c>ctx.RunAsync("x", Save)</c>, <c>ctx.RunAsync("x", ct =&gt; Save(ct))</c>).
    /// </summary>
    private bool RunsOnlyInRunClosures(ILocalFunctionOperation local, ISymbol containingSymbol, HashSet<IMethodSymbol>? visiting)
    {
        var symbol = local.Symbol;
        if (visiting is null && _runOnlyLocalFunctions.TryGetValue(symbol, out var known))
        {
            return known;
        }
        visiting ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (!visiting.Add(symbol))
        {
            // Mutual recursion: undecided here, so the conservative answer (handler code) is used.
            return false;
        }
        var result = Decide(local, containingSymbol, visiting);
        visiting.Remove(symbol);
        if (visiting.Count == 0)
        {
            _runOnlyLocalFunctions.TryAdd(symbol, result);
        }
        return result;
    }

    private bool Decide(ILocalFunctionOperation local, ISymbol containingSymbol, HashSet<IMethodSymbol> visiting)
    {
        var used = false;
        foreach (var operation in Operations.Root(local).Descendants())
        {
            var target = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (target is null || !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, local.Symbol.OriginalDefinition)
                || local.Syntax.Span.Contains(operation.Syntax.Span))
            {
                continue;
            }
            used = true;
            if (operation is IMethodReferenceOperation && IsRunAsyncArgument(operation))
            {
                continue;
            }
            if (Of(operation, containingSymbol, visiting).Kind != CodeScopeKind.RunClosure)
            {
                return false;
            }
        }
        return used;
    }

    private static IMethodSymbol? EnclosingMember(ISymbol symbol)
    {
        var current = symbol;
        while (current is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } nested
            && nested.ContainingSymbol is not null)
        {
            current = nested.ContainingSymbol;
        }
        return current as IMethodSymbol;
    }
}
