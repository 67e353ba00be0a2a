using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Restate.Sdk.Analyzers.Tests.Infrastructure;

/// <summary>A diagnostic a test expects: its id and the exact span it must cover.</summary>
internal sealed record ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test source with the expected diagnostics marked inline: <c>{|RESTATE100:DateTime.UtcNow|}</c> expects RESTATE100
/// exactly on <c>DateTime.UtcNow</c>. Markers nest; the parsed text is the source without them.
/// </summary>
internal sealed class MarkedSource
{
    private const string Open = "{|";
    private const string Close = "|}";

    private MarkedSource(string text, IReadOnlyList<ExpectedDiagnostic> expected)
    {
        Text = text;
        Expected = expected;
    }

    public string Text { get; }

    public IReadOnlyList<ExpectedDiagnostic> Expected { get; }

    public static MarkedSource Parse(string marked)
    {
        var text = new StringBuilder(marked.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<ExpectedDiagnostic>();
        for (var i = 0; i < marked.Length;)
        {
            if (string.CompareOrdinal(marked, i, Open, 0, Open.Length) == 0)
            {
                var colon = marked.IndexOf(':', i);
                if (colon < 0)
                {
                    throw new FormatException($"Marker at {i} has no ':' after its id.");
                }
                open.Push((marked[(i + Open.Length)..colon], text.Length));
                i = colon + 1;
            }
            else if (open.Count > 0 && string.CompareOrdinal(marked, i, Close, 0, Close.Length) == 0)
            {
                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, text.Length)));
                i += Close.Length;
            }
            else
            {
                text.Append(marked[i]);
                i++;
            }
        }
        if (open.Count > 0)
        {
            throw new FormatException($"Marker {open.Peek().Id} is not closed.");
        }
        return new MarkedSource(text.ToString(), expected);
    }
}
