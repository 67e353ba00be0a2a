using System.Globalization;
using ScottPlot;

namespace Holiday.Bench;

/// <summary>
/// The bar panels both trip tools draw their charts with (linked into each; ScottPlot 5): a grid of panels rendered to
/// one PNG, grouped bars with a value label on each, stacked bars with the total on top, and a frameless panel with a
/// heading, the session's notes and the legend.
/// </summary>
internal static class BarCharts
{
    /// <summary>A grid of <paramref name="rows"/> × <paramref name="columns"/> empty panels, filled row by row.</summary>
    public static Multiplot Grid(int rows, int columns)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(rows * columns);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return multiplot;
    }

    /// <summary>The PNG bytes of <paramref name="multiplot"/> at <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static byte[] RenderPng(Multiplot multiplot, int width, int height) =>
        multiplot.Render(width, height).GetImageBytes(ImageFormat.Png);

    /// <summary>
    /// Grouped bars: a group per entry of <paramref name="groups"/> (its label under it), and in each a bar per entry of
    /// <paramref name="series"/> in that series' colour, labelled with its value. A value that is not finite (no such
    /// measurement) leaves its bar's place empty.
    /// </summary>
    public static void Grouped(ScottPlot.Plot plot, string title, IReadOnlyList<string> groups,
        IReadOnlyList<(string Name, Color Colour)> series, Func<int, int, double> value)
    {
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var width = series.Count + 1; // a gap of one bar between groups
        for (var g = 0; g < groups.Count; g++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var v = value(g, s);
                if (double.IsFinite(v))
                {
                    bars.Add(new Bar { Position = (g * width) + s, Value = v, FillColor = series[s].Colour, Label = Format(v) });
                }
            }

            ticks.Add(new Tick((g * width) + ((series.Count - 1) / 2.0), groups[g]));
        }

        Finish(plot, title, bars, ticks);
    }

    /// <summary>
    /// Stacked bars: a bar per entry of <paramref name="bars"/> (its label under it), made of a segment per entry of
    /// <paramref name="segments"/> in that segment's colour, stacked from the bottom in order, with the bar's total on
    /// top. A segment whose value is not finite or not positive is left out.
    /// </summary>
    public static void Stacked(ScottPlot.Plot plot, string title, IReadOnlyList<string> bars,
        IReadOnlyList<(string Name, Color Colour)> segments, Func<int, int, double> value)
    {
        var drawn = new List<Bar>();
        var ticks = new List<Tick>();
        for (var b = 0; b < bars.Count; b++)
        {
            var top = 0.0;
            Bar? last = null;
            for (var s = 0; s < segments.Count; s++)
            {
                var v = value(b, s);
                if (double.IsFinite(v) && v > 0)
                {
                    last = new Bar { Position = b, ValueBase = top, Value = top + v, FillColor = segments[s].Colour };
                    drawn.Add(last);
                    top += v;
                }
            }

            if (last is not null)
            {
                last.Label = Format(top);
            }

            ticks.Add(new Tick(b, bars[b]));
        }

        Finish(plot, title, drawn, ticks);
    }

    /// <summary>
    /// The frameless panel beside the charts: <paramref name="heading"/> in bold at the top, one line per entry of
    /// <paramref name="notes"/> under it, and a legend of <paramref name="legend"/> at the bottom.
    /// </summary>
    public static void Info(ScottPlot.Plot plot, string heading, IReadOnlyList<string> notes,
        IReadOnlyList<(string Name, Color Colour)> legend)
    {
        plot.Layout.Frameless(); // which also drops a title: the heading is a text
        var title = plot.Add.Text(heading, 0.05, 0.97);
        title.LabelFontSize = 22;
        title.LabelBold = true;
        plot.HideGrid();
        plot.Axes.SetLimits(0, 1, 0, 1);
        for (var i = 0; i < notes.Count; i++)
        {
            var text = plot.Add.Text(notes[i], 0.05, 0.75 - (i * 0.1));
            text.LabelFontSize = 16;
        }

        foreach (var (name, colour) in legend)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = colour });
        }

        plot.Legend.FontSize = 16;
        plot.Legend.Alignment = Alignment.LowerCenter;
        plot.ShowLegend();
    }

    /// <summary>Three significant digits at most, no exponent (up to four decimals below 0.1, for GB-seconds).</summary>
    public static string Format(double value) => value switch
    {
        0 => "0",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 0.1 => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    private static void Finish(ScottPlot.Plot plot, string title, List<Bar> bars, List<Tick> ticks)
    {
        plot.Title(title);
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.Axes.Margins(bottom: 0, top: 0.15);
    }
}
