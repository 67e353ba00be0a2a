using System;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// Reads the XML doc <c>&lt;summary&gt;</c> of a class or method from its syntax, so it works whether or not the
/// project generates a documentation file (without one the compiler does not parse doc comments).
/// </summary>
internal static class Documentation
{
    public static string? Summary(ISymbol symbol)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var text = new StringBuilder();
            foreach (var trivia in reference.GetSyntax().GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                {
                    foreach (var line in trivia.ToFullString().Split('\n'))
                    {
                        var trimmed = line.Trim();
                        if (trimmed.StartsWith("///", StringComparison.Ordinal))
                        {
                            text.Append(trimmed.Substring(3)).Append('\n');
                        }
                    }
                }
            }
            if (text.Length > 0 && FromXml(text.ToString()) is { } summary)
            {
                return summary;
            }
        }
        return null;
    }

    private static string? FromXml(string xml)
    {
        XElement root;
        try
        {
            root = XElement.Parse("<doc>" + xml + "</doc>", LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
        var summary = root.Element("summary");
        if (summary is null)
        {
            return null;
        }
        var text = new StringBuilder();
        Append(summary, text);
        var paragraphs = text.ToString().Split(["\n\n"], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join(" ", p.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)))
            .Where(p => p.Length > 0);
        var result = string.Join("\n\n", paragraphs);
        return result.Length == 0 ? null : result;
    }

    private static void Append(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText value:
                    text.Append(value.Value.Replace('\n', ' '));
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var reference = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? "";
                    text.Append(see.IsEmpty ? ShortName(reference) : see.Value);
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } parameter:
                    text.Append((string?)parameter.Attribute("name"));
                    break;
                case XElement { Name.LocalName: "c" or "code" } code:
                    text.Append('`').Append(code.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "para" or "br" } paragraph:
                    text.Append("\n\n");
                    Append(paragraph, text);
                    text.Append("\n\n");
                    break;
                case XElement other:
                    Append(other, text);
                    break;
            }
        }
    }

    private static string ShortName(string reference)
    {
        var name = reference.Length > 2 && reference[1] == ':' ? reference.Substring(2) : reference;
        var generic = name.IndexOfAny(['{', '(', '`']);
        if (generic >= 0)
        {
            name = name.Substring(0, generic);
        }
        return name.Substring(name.LastIndexOf('.') + 1);
    }
}
