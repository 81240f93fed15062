using System.Globalization;
using UrbanScore.Pipeline;

namespace UrbanScore.Cli;

/// <summary>
/// Shows progress: a live bar redrawn in place on a terminal; a plain line every <see cref="PlainInterval"/> when
/// output is redirected (logs, CI), so files do not fill with carriage returns.
/// </summary>
internal sealed class ProgressPrinter : IProgress<PipelineProgress>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(250); // redraws a terminal can show without flicker
    private readonly CliContext _context;
    private readonly Lock _lock = new();
    private TimeSpan _lastPlain = TimeSpan.Zero;
    private TimeSpan _lastBar = TimeSpan.FromSeconds(-1);
    private bool _drewBar;

    public ProgressPrinter(CliContext context) => _context = context;

    public void Report(PipelineProgress value)
    {
        lock (_lock)
        {
            var text = Format(value);
            var finished = value.Total is { } total && value.Done >= total;
            if (_context.IsInteractive)
            {
                if (value.Elapsed - _lastBar < BarInterval && !finished)
                {
                    return;
                }

                _lastBar = value.Elapsed;
                var bar = Bar(value, 28);
                // \r back to the line's start, ESC[K clears what a longer previous line left behind.
                _context.Out.Write("\r" + bar + " " + text + "\u001b[K");
                _drewBar = true;
            }
            else if (value.Elapsed - _lastPlain >= PlainInterval || finished)
            {
                _lastPlain = value.Elapsed;
                _context.Out.WriteLine("progress: " + text);
            }
        }
    }

    /// <summary>Ends the live bar's line.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_drewBar)
            {
                _context.Out.WriteLine();
                _drewBar = false;
            }
        }
    }

    private static string Format(PipelineProgress p)
    {
        var total = p.Total is { } t ? "/" + t.ToString(CultureInfo.InvariantCulture) : string.Empty;
        // An ETA from the first seconds (model load, connection set-up, JIT) says nothing; wait for a steady rate.
        var eta = p.Remaining is { } r && p.Elapsed >= TimeSpan.FromSeconds(3) ? " ETA " + Duration(r) : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Done}{total} tiles ({p.Scored} scored, {p.Empty} empty, {p.Failed} failed) {p.TilesPerSecond:0.0} tiles/s{eta}");
    }

    private static string Bar(PipelineProgress p, int width)
    {
        var fraction = p.Total is > 0 ? Math.Clamp((double)p.Done / p.Total.Value, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "] " + (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    internal static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s");
}
