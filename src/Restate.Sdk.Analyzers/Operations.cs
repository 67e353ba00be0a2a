using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Restate.Sdk.Analyzers;

/// <summary>Small helpers over the operation tree.</summary>
internal static class Operations
{
    /// <summary>The root of the operation tree (the member's body) that contains <paramref name="operation"/>.</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }
        return current;
    }

    /// <summary>The declaration of local function <paramref name="function"/> inside <paramref name="root"/>, if any.</summary>
    public static ILocalFunctionOperation? FindLocalFunction(IOperation root, IMethodSymbol function)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalFunctionOperation local
                && SymbolEqualityComparer.Default.Equals(local.Symbol, function.OriginalDefinition))
            {
                return local;
            }
        }
        return null;
    }

    /// <summary>
    /// Where to report a member use: <c>Type.Member</c> for a static member, just <c>Member</c> for an instance member
    /// (its receiver can be a long expression), <c>new Type</c> for a constructor; never the arguments, which can be
    /// whole lambdas.
    /// </summary>
    public static Location MemberLocation(IOperation operation)
    {
        var syntax = operation.Syntax;
        var callee = syntax switch
        {
            InvocationExpressionSyntax invocation => invocation.Expression,
            MemberAccessExpressionSyntax access => access,
            _ => null,
        };
        if (syntax is ObjectCreationExpressionSyntax creation)
        {
            return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(creation.NewKeyword.SpanStart, creation.Type.Span.End));
        }
        if (callee is MemberAccessExpressionSyntax member && IsInstanceMember(operation))
        {
            return member.Name.GetLocation();
        }
        return (callee ?? syntax).GetLocation();
    }

    private static bool IsInstanceMember(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => !invocation.TargetMethod.IsStatic,
        IPropertyReferenceOperation property => !property.Property.IsStatic,
        IMethodReferenceOperation reference => !reference.Method.IsStatic,
        _ => false,
    };
}
