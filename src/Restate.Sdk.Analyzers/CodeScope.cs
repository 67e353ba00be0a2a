using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Analyzers;

/// <summary>Where a piece of code runs, as far as replay is concerned.</summary>
internal enum CodeScopeKind
{
    /// <summary>Neither handler code nor a run closure: the analyzers leave it alone.</summary>
    Other,

    /// <summary>Code of a method, local function or lambda with a Restate context parameter: re-executed on every replay.</summary>
    Handler,

    /// <summary>The delegate given to <c>Context.RunAsync</c>: runs once, its result journaled.</summary>
    RunClosure,
}

/// <summary>The scope of an operation: its kind, the function that decides it, and the handler's context parameter.</summary>
internal readonly struct CodeScope
{
    private CodeScope(CodeScopeKind kind, SyntaxNode? owner, IParameterSymbol? context)
    {
        Kind = kind;
        Owner = owner;
        Context = context;
    }

    public static CodeScope Other => default;

    public CodeScopeKind Kind { get; }

    /// <summary>The lambda, local function or method whose body is this scope (null for a whole handler method).</summary>
    public SyntaxNode? Owner { get; }

    /// <summary>The handler's context parameter (only for <see cref="CodeScopeKind.Handler"/>).</summary>
    public IParameterSymbol? Context { get; }

    /// <summary>The name to show in suggestions: the context parameter's own name, or <c>ctx</c> when it has none.</summary>
    public string ContextName => Context is { IsDiscard: false, Name.Length: > 0 } parameter && parameter.Name != "_" ? parameter.Name : "ctx";

    public static CodeScope Handler(SyntaxNode? owner, IParameterSymbol context) => new(CodeScopeKind.Handler, owner, context);

    public static CodeScope RunClosure(SyntaxNode owner) => new(CodeScopeKind.RunClosure, owner, null);
}
