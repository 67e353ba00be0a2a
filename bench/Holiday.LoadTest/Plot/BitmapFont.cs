namespace Holiday.LoadTest.Plot;

/// <summary>
/// A 5 × 7 pixel font: A–Z (lower case is drawn as upper case), 0–9 and a few symbols. Each glyph is written as
/// seven rows of five pixels, '#' set and '.' clear, top row first.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Horizontal distance from one glyph to the next, in font pixels (one blank column between).</summary>
    public const int Advance = GlyphWidth + 1;

    private static readonly Dictionary<char, string[]> Glyphs = Parse(new Dictionary<char, string>
    {
        ['A'] = ".###. #...# #...# ##### #...# #...# #...#",
        ['B'] = "####. #...# #...# ####. #...# #...# ####.",
        ['C'] = ".###. #...# #.... #.... #.... #...# .###.",
        ['D'] = "####. #...# #...# #...# #...# #...# ####.",
        ['E'] = "##### #.... #.... ####. #.... #.... #####",
        ['F'] = "##### #.... #.... ####. #.... #.... #....",
        ['G'] = ".###. #...# #.... #.### #...# #...# .####",
        ['H'] = "#...# #...# #...# ##### #...# #...# #...#",
        ['I'] = ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        ['J'] = "..### ...#. ...#. ...#. ...#. #..#. .##..",
        ['K'] = "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        ['L'] = "#.... #.... #.... #.... #.... #.... #####",
        ['M'] = "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        ['N'] = "#...# #...# ##..# #.#.# #..## #...# #...#",
        ['O'] = ".###. #...# #...# #...# #...# #...# .###.",
        ['P'] = "####. #...# #...# ####. #.... #.... #....",
        ['Q'] = ".###. #...# #...# #...# #.#.# #..#. .##.#",
        ['R'] = "####. #...# #...# ####. #.#.. #..#. #...#",
        ['S'] = ".#### #.... #.... .###. ....# ....# ####.",
        ['T'] = "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        ['U'] = "#...# #...# #...# #...# #...# #...# .###.",
        ['V'] = "#...# #...# #...# #...# #...# .#.#. ..#..",
        ['W'] = "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        ['X'] = "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        ['Y'] = "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        ['Z'] = "##### ....# ...#. ..#.. .#... #.... #####",
        ['0'] = ".###. #...# #..## #.#.# ##..# #...# .###.",
        ['1'] = "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        ['2'] = ".###. #...# ....# ...#. ..#.. .#... #####",
        ['3'] = "##### ...#. ..#.. ...#. ....# #...# .###.",
        ['4'] = "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        ['5'] = "##### #.... ####. ....# ....# #...# .###.",
        ['6'] = "..##. .#... #.... ####. #...# #...# .###.",
        ['7'] = "##### ....# ...#. ..#.. .#... .#... .#...",
        ['8'] = ".###. #...# #...# .###. #...# #...# .###.",
        ['9'] = ".###. #...# #...# .#### ....# ...#. .##..",
        [' '] = "..... ..... ..... ..... ..... ..... .....",
        ['.'] = "..... ..... ..... ..... ..... .##.. .##..",
        [','] = "..... ..... ..... ..... .##.. ..#.. .#...",
        [':'] = "..... .##.. .##.. ..... .##.. .##.. .....",
        [';'] = "..... .##.. .##.. ..... .##.. ..#.. .#...",
        ['/'] = "..... ....# ...#. ..#.. .#... #.... .....",
        ['-'] = "..... ..... ..... ##### ..... ..... .....",
        ['+'] = "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        ['='] = "..... ..... ##### ..... ##### ..... .....",
        ['('] = "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        [')'] = ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        ['%'] = "##... ##..# ...#. ..#.. .#... #..## ...##",
        ['<'] = "...#. ..#.. .#... #.... .#... ..#.. ...#.",
        ['>'] = ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        ['_'] = "..... ..... ..... ..... ..... ..... #####",
        ['\''] = "..#.. ..#.. .#... ..... ..... ..... .....",
        ['*'] = "..... #...# .#.#. ..#.. .#.#. #...# .....",
        ['?'] = ".###. #...# ....# ...#. ..#.. ..... ..#..",
    });

    /// <summary>The rows of <paramref name="character"/>'s glyph; '?' for a character the font does not have.</summary>
    public static string[] Glyph(char character) =>
        Glyphs.TryGetValue(char.ToUpperInvariant(character), out var glyph) ? glyph
        : character == '×' ? Glyphs['*']
        : Glyphs['?'];

    /// <summary>Width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/> (no trailing gap).</summary>
    public static int TextWidth(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;

    /// <summary>Height in pixels of a line drawn at <paramref name="scale"/>.</summary>
    public static int TextHeight(int scale) => GlyphHeight * scale;

    private static Dictionary<char, string[]> Parse(Dictionary<char, string> definitions)
    {
        var glyphs = new Dictionary<char, string[]>(definitions.Count);
        foreach (var (character, definition) in definitions)
        {
            var rows = definition.Split(' ');
            if (rows.Length != GlyphHeight || rows.Any(row => row.Length != GlyphWidth || row.Any(pixel => pixel is not ('#' or '.'))))
            {
                throw new InvalidOperationException($"The glyph of '{character}' must be {GlyphHeight} rows of {GlyphWidth} '#' or '.'.");
            }

            glyphs[character] = rows;
        }

        return glyphs;
    }
}
