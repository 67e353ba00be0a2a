using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// The SDK types the analyzers recognise, resolved once per compilation by metadata name, so a user type that merely
/// happens to be called <c>Context</c> is never mistaken for Restate's.
/// </summary>
internal sealed class RestateSymbols
{
    private RestateSymbols(INamedTypeSymbol context, INamedTypeSymbol durableFuture, INamedTypeSymbol? attemptEnded)
    {
        Context = context;
        DurableFuture = durableFuture;
        AttemptEnded = attemptEnded;
    }

    /// <summary><c>Restate.Sdk.Context</c>, the base of every handler context.</summary>
    public INamedTypeSymbol Context { get; }

    /// <summary><c>Restate.Sdk.DurableFuture</c>, the base of every durable result (calls, timers, runs, promises).</summary>
    public INamedTypeSymbol DurableFuture { get; }

    /// <summary><c>Restate.Sdk.AttemptEndedException</c>, which unwinds handler code when its attempt ends (null in older SDKs).</summary>
    public INamedTypeSymbol? AttemptEnded { get; }

    /// <summary>The SDK types, or null when the compilation does not reference Restate.Sdk (then nothing is a handler).</summary>
    public static RestateSymbols? Create(Compilation compilation)
    {
        var context = compilation.GetTypeByMetadataName("Restate.Sdk.Context");
        var durableFuture = compilation.GetTypeByMetadataName("Restate.Sdk.DurableFuture");
        return context is null || durableFuture is null
            ? null
            : new RestateSymbols(context, durableFuture, compilation.GetTypeByMetadataName("Restate.Sdk.AttemptEndedException"));
    }

    /// <summary>True for <c>Context</c> and every context derived from it (<c>ObjectContext</c>, <c>WorkflowContext</c>…).</summary>
    public bool IsContext(ITypeSymbol? type) => DerivesFrom(type, Context);

    /// <summary>True for <c>DurableFuture</c>, <c>DurableFuture&lt;T&gt;</c>, <c>CallFuture&lt;T&gt;</c> and the like.</summary>
    public bool IsDurableFuture(ITypeSymbol? type) => DerivesFrom(type, DurableFuture);

    /// <summary>True for the <c>Context.RunAsync</c> overloads, the one place where side effects belong.</summary>
    public bool IsRunAsync(IMethodSymbol method) => method.Name == "RunAsync" && IsContext(method.ContainingType);

    /// <summary>The first parameter typed as a Restate context: what makes a method, local function or lambda handler code.</summary>
    public IParameterSymbol? ContextParameter(IMethodSymbol? method)
    {
        if (method is null)
        {
            return null;
        }
        foreach (var parameter in method.Parameters)
        {
            if (IsContext(parameter.Type))
            {
                return parameter;
            }
        }
        return null;
    }

    private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol baseType)
    {
        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                if (DerivesFrom(constraint, baseType))
                {
                    return true;
                }
            }
            return false;
        }
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }
        return false;
    }
}
