using System.Globalization;

namespace Holiday.LoadTest.Plot;

/// <summary>One bar colour and the name the legend gives it.</summary>
internal sealed record BarSeries(string Name, Rgb Colour);

/// <summary>
/// The data of one grouped bar chart: a group per label along the x axis, a bar per series in each group.
/// <c>Values[group][series]</c>; NaN draws no bar.
/// </summary>
internal sealed record BarPanel(string Title, IReadOnlyList<string> Groups, IReadOnlyList<BarSeries> Series, double[][] Values);

/// <summary>Draws a <see cref="BarPanel"/>: title, y axis from 0 to a round maximum with grid lines, labelled bars.</summary>
internal static class GroupedBarChart
{
    private const int Scale = 2;
    private const int AxisLabelWidth = 70;
    private const int TitleHeight = 30;
    private const int GroupLabelHeight = 30;
    private const int GridLines = 5;

    public static void Draw(Canvas canvas, int x, int y, int width, int height, BarPanel panel)
    {
        canvas.DrawTextCentred(x + (width / 2), y + 4, panel.Title, Rgb.Black, Scale);

        var left = x + AxisLabelWidth;
        var right = x + width - 10;
        var top = y + TitleHeight + 24; // room for the value labels of the highest bar
        var bottom = y + height - GroupLabelHeight;
        var max = panel.Values.SelectMany(v => v).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var axisMax = RoundUp(max > 0 ? max : 1);

        for (var i = 0; i <= GridLines; i++)
        {
            var value = axisMax * i / GridLines;
            var lineY = bottom - (int)Math.Round((bottom - top) * (double)i / GridLines);
            canvas.HorizontalLine(left, lineY, right - left, i == 0 ? Rgb.Black : Rgb.LightGrey);
            var label = value.ToString("0.##", CultureInfo.InvariantCulture);
            canvas.DrawText(left - 8 - BitmapFont.TextWidth(label, Scale), lineY - (BitmapFont.TextHeight(Scale) / 2), label, Rgb.Grey, Scale);
        }

        canvas.VerticalLine(left, top, bottom - top + 1, Rgb.Black);

        var groupWidth = (right - left) / (double)panel.Groups.Count;
        var barWidth = groupWidth * 0.8 / panel.Series.Count;
        for (var g = 0; g < panel.Groups.Count; g++)
        {
            var groupLeft = left + (g * groupWidth) + (groupWidth * 0.1);
            canvas.DrawTextCentred((int)(left + (g * groupWidth) + (groupWidth / 2)), bottom + 10, panel.Groups[g], Rgb.Black, Scale);
            for (var s = 0; s < panel.Series.Count; s++)
            {
                var value = panel.Values[g][s];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                var barLeft = (int)Math.Round(groupLeft + (s * barWidth));
                var barPixels = Math.Max(1, (int)Math.Round(barWidth) - 6);
                var barHeight = (int)Math.Round((bottom - top) * value / axisMax);
                canvas.FillRectangle(barLeft, bottom - barHeight, barPixels, barHeight, panel.Series[s].Colour);

                var label = Format(value);
                var labelScale = BitmapFont.TextWidth(label, Scale) <= barPixels + 8 ? Scale : 1;
                canvas.DrawTextCentred(barLeft + (barPixels / 2), bottom - barHeight - BitmapFont.TextHeight(labelScale) - 4, label, Rgb.Black, labelScale);
            }
        }
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × a power of ten at or above <paramref name="value"/> × 1.1.</summary>
    private static double RoundUp(double value)
    {
        var target = value * 1.1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(target)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * power >= target)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    /// <summary>Three significant digits at most, no exponent.</summary>
    private static string Format(double value) => value switch
    {
        0 => "0",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };
}
