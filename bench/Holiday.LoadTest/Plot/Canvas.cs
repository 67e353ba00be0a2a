namespace Holiday.LoadTest.Plot;

/// <summary>An 8-bit RGB colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Grey = new(110, 110, 110);
    public static readonly Rgb LightGrey = new(225, 225, 225);
}

/// <summary>An RGB raster, row by row from the top left, with the few drawing operations the charts need.</summary>
internal sealed class Canvas
{
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>R, G, B per pixel, <see cref="Width"/> × 3 bytes per row.</summary>
    public byte[] Pixels { get; }

    /// <summary>Fills the rectangle, clipped to the canvas.</summary>
    public void FillRectangle(int x, int y, int width, int height, Rgb colour)
    {
        var left = Math.Max(0, x);
        var top = Math.Max(0, y);
        var right = Math.Min(Width, x + width);
        var bottom = Math.Min(Height, y + height);
        for (var row = top; row < bottom; row++)
        {
            for (var column = left; column < right; column++)
            {
                var i = ((row * Width) + column) * 3;
                Pixels[i] = colour.R;
                Pixels[i + 1] = colour.G;
                Pixels[i + 2] = colour.B;
            }
        }
    }

    public void HorizontalLine(int x, int y, int length, Rgb colour) => FillRectangle(x, y, length, 1, colour);

    public void VerticalLine(int x, int y, int length, Rgb colour) => FillRectangle(x, y, 1, length, colour);

    /// <summary>Draws <paramref name="text"/> with its top left corner at (x, y), each font pixel
    /// <paramref name="scale"/> × <paramref name="scale"/> pixels.</summary>
    public void DrawText(int x, int y, string text, Rgb colour, int scale = 2)
    {
        foreach (var character in text)
        {
            var glyph = BitmapFont.Glyph(character);
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (glyph[row][column] == '#')
                    {
                        FillRectangle(x + (column * scale), y + (row * scale), scale, scale, colour);
                    }
                }
            }

            x += BitmapFont.Advance * scale;
        }
    }

    /// <summary>Draws <paramref name="text"/> centred horizontally on <paramref name="centreX"/>.</summary>
    public void DrawTextCentred(int centreX, int y, string text, Rgb colour, int scale = 2) =>
        DrawText(centreX - (BitmapFont.TextWidth(text, scale) / 2), y, text, colour, scale);
}
