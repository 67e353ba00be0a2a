using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Restate.Sdk.Generators.Model;

/// <summary>A source location without a reference to the syntax tree (which would keep compilations alive and defeat caching).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { SourceTree: not null } ? new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());
}
