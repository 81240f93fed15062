using System.Diagnostics;
using System.Security.Cryptography;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// Scores an area end to end with a source and a scorer you hold: tile cover → pipeline (fetch, decode, batch,
/// infer) → score store and heatmap tiles, then the products rendered from the store (scores.csv, GeoTIFF, run.json).
/// Re-running into the same output folder resumes: tiles already scored or empty are skipped, failed ones are
/// retried. <see cref="ScoreRun"/> builds the source and the scorer from a <see cref="ScoreRequest"/> and calls this.
/// </summary>
public static class ScoreJob
{
    /// <summary>Runs the job. Borrows <paramref name="source"/> and <paramref name="scorer"/>.</summary>
    /// <param name="source">Where tiles come from.</param>
    /// <param name="scorer">The model.</param>
    /// <param name="modelPath">The model file (hashed for the store's identity and run.json).</param>
    /// <param name="options">Area, zoom, outputs.</param>
    /// <param name="progress">Progress, or null.</param>
    /// <param name="cancellationToken">Stops the run; what was scored stays in the store.</param>
    /// <exception cref="UrbanScoreException">Bad area, zoom, label or output folder.</exception>
    public static async Task<ScoreJobResult> RunAsync(
        ITileSource source,
        ITileScorer scorer,
        string modelPath,
        ScoreJobOptions options,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var wall = Stopwatch.StartNew();
        var set = source.MatrixSet;
        var cover = options.Area.Cover(set, options.Zoom);
        if (options.CoverFilter is { } filter)
        {
            cover = filter(cover);
        }

        var planned = cover.Count;
        var positive = PositiveLabels.Resolve(options.PositiveLabel, scorer.Labels);
        var identity = new RunIdentity
        {
            Source = source.Description,
            TileMatrixSet = set.Identifier,
            Epsg = set.Epsg,
            ModelSha256 = await (options.ModelSha256 ?? Sha256Async(modelPath, cancellationToken)).ConfigureAwait(false),
            Labels = scorer.Labels,
            PositiveLabel = options.PositiveLabel,
        };

        using var store = ScoreStore.Open(options.OutputFolder, identity, options.Force);
        var clock = new FirstRequestClock(source);
        var (result, skipped) = await ScoreAsync(clock, scorer, positive, store, cover, planned, options, progress, cancellationToken).ConfigureAwait(false);

        var productsStarted = Stopwatch.GetTimestamp();
        var bounds = options.Area.LonLatBounds;
        RunCounts counts = null!;
        var manifestPath = await RunOutputs.WriteAsync(store, identity, set, cover.Extent, options.OutputFolder, options.Products, stored =>
        {
            counts = stored with { Planned = planned, Skipped = skipped };
            return new RunRecord
            {
                Command = options.CommandLine,
                Model = modelPath,
                Zoom = options.Zoom,
                Area = options.Area.Description,
                Bbox = [bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY],
                Counts = counts,
                StartedUtc = started,
                WallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 3),
                TilesPerSecond = Math.Round(result.TilesPerSecond, 2),
                Timings = new RunTimings(
                    StartupSeconds: clock.SecondsFromProcessStart is { } startup ? Math.Round(startup, 3) : null,
                    PipelineSeconds: Math.Round(result.Elapsed.TotalSeconds, 3),
                    ProductsSeconds: Math.Round(Stopwatch.GetElapsedTime(productsStarted).TotalSeconds, 3)),
                PeakRssMiB = PeakRssMiB(),
            };
        }, cancellationToken).ConfigureAwait(false);
        return new ScoreJobResult(counts, result, manifestPath);
    }

    /// <summary>The scoring stage: the cover minus what the store already has, through the pipeline into the sinks.</summary>
    private static async Task<(PipelineResult Result, long Skipped)> ScoreAsync(
        FirstRequestClock clock,
        ITileScorer scorer,
        PositiveLabels positive,
        ScoreStore store,
        ITileCover cover,
        long planned,
        ScoreJobOptions options,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        long skipped = 0;

        // A new or forced run's store has nothing to skip: no query per tile (the cover enumerates each tile once, so
        // the rows this run writes are never asked about).
        var resuming = store.HasFinishedTiles();
        IEnumerable<TileIndex> Pending()
        {
            foreach (var tile in cover.Enumerate())
            {
                if (resuming && store.IsDone(tile))
                {
                    skipped++;
                    continue;
                }

                yield return tile;
            }
        }

        var matrix = clock.MatrixSet[options.Zoom];
        using var heatmap = new HeatmapTileWriter(options.OutputFolder, matrix.TileWidth, matrix.TileHeight, options.Products.Palette);
        var pipeline = new ScoringPipeline(clock, scorer, positive, options.Pipeline) { ScorerReady = options.ScorerReady ?? Task.CompletedTask };
        // Heatmap first: a tile's PNG exists before its row can commit, so a run killed at any point never leaves a tile
        // marked done without its PNG (a resumed run skips done tiles and would not write it).
        var result = await pipeline.RunAsync(Pending(), planned, [heatmap, store, .. options.ExtraSinks], progress, cancellationToken).ConfigureAwait(false);
        return (result, skipped);
    }

    private static double PeakRssMiB()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.PeakWorkingSet64 / (1024.0 * 1024.0), 1);
    }

    /// <summary>The file's SHA-256 as lower-case hex.</summary>
    internal static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }
}
