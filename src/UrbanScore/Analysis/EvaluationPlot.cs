using System.Globalization;
using SkiaSharp;

namespace UrbanScore.Analysis;

/// <summary>
/// Draws an <see cref="EvaluationReport"/> as a PNG (<c>evaluate --plot</c>): the ROC curve with the threshold's
/// operating point on the left, the calibration curve over a histogram of the scores on the right.
/// </summary>
public static class EvaluationPlot
{
    /// <summary>Width of the picture in pixels (two square panels).</summary>
    public const int Width = 1200;

    /// <summary>Height of the picture in pixels.</summary>
    public const int Height = 600;

    private const float Left = 80, Right = 24, Top = 56, Bottom = 70;

    /// <summary>Fonts tried when the platform's default typeface has no glyphs (SkiaSharp without fontconfig on Linux).</summary>
    private static readonly string[] s_fontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];

    /// <summary>The typeface of the labels, found once and kept for the process (never disposed: it may be Skia's shared default).</summary>
    private static readonly Lazy<SKTypeface> s_typeface = new(Typeface);

    /// <summary>Writes the plot to <paramref name="path"/> (PNG, replaced atomically).</summary>
    public static void Write(EvaluationReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Render(report);
        AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, bytes));
    }

    /// <summary>The plot as PNG bytes.</summary>
    public static byte[] Render(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var bitmap = new SKBitmap(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(s_typeface.Value, 16);
        using var titleFont = new SKFont(s_typeface.Value, 20);
        var rocTitle = "ROC, AUC " + Figure(report.RocAuc, "0.000");
        var roc = Panel(canvas, 0, rocTitle, "false positive rate", "true positive rate", font, titleFont);
        DrawRoc(canvas, roc, report, font);
        var calibration = Panel(canvas, Width / 2f, "Calibration, error " + Figure(report.CalibrationError, "0.000"), "mean score", "share positive", font, titleFont);
        DrawCalibration(canvas, calibration, report);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKTypeface Typeface()
    {
        var typeface = SKTypeface.Default;
        if (typeface.GlyphCount > 0)
        {
            return typeface;
        }

        foreach (var file in s_fontFiles)
        {
            if (File.Exists(file) && SKTypeface.FromFile(file) is { GlyphCount: > 0 } loaded)
            {
                return loaded;
            }
        }

        return typeface; // no font: the plot keeps its lines, without text
    }

    /// <summary>Frame, grid, ticks and labels of a unit-square panel whose left edge is <paramref name="x0"/>; returns its plot rectangle.</summary>
    private static SKRect Panel(SKCanvas canvas, float x0, string title, string xLabel, string yLabel, SKFont font, SKFont titleFont)
    {
        var rect = new SKRect(x0 + Left, Top, x0 + (Width / 2f) - Right, Height - Bottom);
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var frame = new SKPaint { Color = new SKColor(80, 80, 80), StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = new SKColor(40, 40, 40), IsAntialias = true };
        for (var i = 0; i <= 5; i++)
        {
            var v = i / 5f;
            var x = rect.Left + (v * rect.Width);
            var y = rect.Bottom - (v * rect.Height);
            canvas.DrawLine(x, rect.Top, x, rect.Bottom, grid);
            canvas.DrawLine(rect.Left, y, rect.Right, y, grid);
            var label = v.ToString("0.0", CultureInfo.InvariantCulture);
            canvas.DrawText(label, x, rect.Bottom + 22, SKTextAlign.Center, font, text);
            canvas.DrawText(label, rect.Left - 8, y + 6, SKTextAlign.Right, font, text);
        }

        canvas.DrawRect(rect, frame);
        canvas.DrawText(title, rect.MidX, Top - 20, SKTextAlign.Center, titleFont, text);
        canvas.DrawText(xLabel, rect.MidX, rect.Bottom + 50, SKTextAlign.Center, font, text);
        canvas.Save();
        canvas.RotateDegrees(-90, x0 + 24, rect.MidY);
        canvas.DrawText(yLabel, x0 + 24, rect.MidY + 6, SKTextAlign.Center, font, text);
        canvas.Restore();

        // The diagonal: chance for ROC, perfect calibration for the reliability curve.
        using var diagonal = new SKPaint { Color = new SKColor(160, 160, 160), StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke, PathEffect = SKPathEffect.CreateDash([6, 6], 0) };
        canvas.DrawLine(rect.Left, rect.Bottom, rect.Right, rect.Top, diagonal);
        return rect;
    }

    private static void DrawRoc(SKCanvas canvas, SKRect rect, EvaluationReport report, SKFont font)
    {
        if (report.Roc.Count == 0)
        {
            return;
        }

        using var path = new SKPath();
        path.MoveTo(At(rect, 0, 0));
        foreach (var p in report.Roc)
        {
            path.LineTo(At(rect, p.FalsePositiveRate, p.TruePositiveRate));
        }

        using var line = new SKPaint { Color = new SKColor(31, 119, 180), StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        canvas.DrawPath(path, line);

        // The operating point of the report's threshold.
        var m = report.ConfusionMatrix;
        var fpr = report.Negatives == 0 ? 0 : (double)m.FalsePositives / report.Negatives;
        var point = At(rect, fpr, report.Recall);
        using var dot = new SKPaint { Color = new SKColor(214, 39, 40), IsAntialias = true };
        using var text = new SKPaint { Color = new SKColor(214, 39, 40), IsAntialias = true };
        canvas.DrawCircle(point, 6, dot);
        canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"score >= {report.Threshold:0.###}"), point.X + 10, point.Y + 20, SKTextAlign.Left, font, text);
    }

    private static void DrawCalibration(SKCanvas canvas, SKRect rect, EvaluationReport report)
    {
        // Histogram of the scores along the bottom, the tallest bin a quarter of the panel.
        var most = Math.Max(1, report.Calibration.Max(b => b.Count));
        using var bar = new SKPaint { Color = new SKColor(31, 119, 180, 60), IsAntialias = true };
        foreach (var b in report.Calibration)
        {
            var top = At(rect, b.Upper, 0.25 * b.Count / most);
            canvas.DrawRect(new SKRect(At(rect, b.Lower, 0).X + 1, top.Y, top.X - 1, rect.Bottom), bar);
        }

        using var path = new SKPath();
        var first = true;
        using var dot = new SKPaint { Color = new SKColor(255, 127, 14), IsAntialias = true };
        foreach (var b in report.Calibration.Where(b => b.Count > 0))
        {
            var p = At(rect, b.MeanScore, b.PositiveRate);
            if (first)
            {
                path.MoveTo(p);
                first = false;
            }
            else
            {
                path.LineTo(p);
            }

            canvas.DrawCircle(p, 5, dot);
        }

        using var line = new SKPaint { Color = new SKColor(255, 127, 14), StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        canvas.DrawPath(path, line);
    }

    private static SKPoint At(SKRect rect, double x, double y) =>
        new((float)(rect.Left + (x * rect.Width)), (float)(rect.Bottom - (y * rect.Height)));

    private static string Figure(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "undefined";
}
