using System.Diagnostics;
using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// Passes every fetch to the source it wraps and notes when the first one was asked for: the end of a run's startup
/// (run.json <c>timings.startupSeconds</c>). One interlocked read per tile.
/// </summary>
internal sealed class FirstRequestClock(ITileSource inner) : ITileSource
{
    private long _firstRequestTicks;

    /// <inheritdoc />
    public string Description => inner.Description;

    /// <inheritdoc />
    public TileMatrixSet MatrixSet => inner.MatrixSet;

    /// <summary>Seconds from the process's start to the first request, or null before any request.</summary>
    public double? SecondsFromProcessStart
    {
        get
        {
            var ticks = Interlocked.Read(ref _firstRequestTicks);
            if (ticks == 0)
            {
                return null;
            }

            // Process start is wall-clock time (DateTime); the request's moment is taken from the same clock.
            using var process = Process.GetCurrentProcess();
            return Math.Max(0, (new DateTime(ticks, DateTimeKind.Utc) - process.StartTime.ToUniversalTime()).TotalSeconds);
        }
    }

    /// <inheritdoc />
    public Task<FetchedTile> FetchAsync(TileIndex tile, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _firstRequestTicks) == 0)
        {
            Interlocked.CompareExchange(ref _firstRequestTicks, DateTime.UtcNow.Ticks, 0);
        }

        return inner.FetchAsync(tile, cancellationToken);
    }
}
