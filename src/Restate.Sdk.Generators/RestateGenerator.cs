using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Restate.Sdk.Generators.Emit;
using Restate.Sdk.Generators.Model;
using Restate.Sdk.Generators.Parsing;

namespace Restate.Sdk.Generators;

/// <summary>
/// Generates, for each <c>[Service]</c>, <c>[VirtualObject]</c> and <c>[Workflow]</c> class, a <c>Definition</c>
/// factory built through the SDK's <c>ServiceDefinition</c> builders, a typed client and send client for handlers,
/// typed clients for callers outside Restate (when the project references <c>Restate.Sdk.Client</c>); and reports
/// mistakes (RESTATE001–RESTATE022) at compile time.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RestateGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the per-class model step (for incrementality tests).</summary>
    internal const string ServiceModelStep = "RestateServiceModel";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var services = Services(context, ServiceParser.ServiceAttribute, ServiceKind.Service);
        var objects = Services(context, ServiceParser.VirtualObjectAttribute, ServiceKind.VirtualObject);
        var workflows = Services(context, ServiceParser.WorkflowAttribute, ServiceKind.Workflow);
        // Clients for callers outside Restate need Restate.Sdk.Client, which a service project may not reference.
        var ingressClients = context.CompilationProvider.Select(static (compilation, _) =>
            compilation.GetTypeByMetadataName(SourceEmitter.RestateClientType) is not null);
        foreach (var provider in new[] { services, objects, workflows })
        {
            context.RegisterSourceOutput(provider.Combine(ingressClients), static (output, pair) =>
            {
                var (result, withIngressClient) = pair;
                foreach (var diagnostic in result.Diagnostics)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
                if (result.Model is { } model)
                {
                    output.AddSource(model.HintName, SourceEmitter.Emit(model, withIngressClient));
                }
            });
        }

        var strayHandlers = context.SyntaxProvider.ForAttributeWithMetadataName(ServiceParser.HandlerAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntax, _) => ServiceParser.HandlerOutsideService(syntax))
            .Where(static diagnostic => diagnostic is not null);
        context.RegisterSourceOutput(strayHandlers, static (output, diagnostic) => output.ReportDiagnostic(diagnostic!.ToDiagnostic()));

        var assemblySerializer = context.CompilationProvider.Select(static (compilation, _) => ServiceParser.InvalidAssemblySerializer(compilation));
        context.RegisterSourceOutput(assemblySerializer, static (output, diagnostic) =>
        {
            if (diagnostic is not null)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }

    private static IncrementalValuesProvider<ServiceResult> Services(IncrementalGeneratorInitializationContext context, string attribute, ServiceKind kind) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(attribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                (syntax, cancellation) => ServiceParser.Parse(syntax, kind, cancellation))
            .WithTrackingName(ServiceModelStep)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!);
}
