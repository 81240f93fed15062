using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Runs;

/// <summary>
/// <c>urbanscore merge</c>: unites the score stores of shard runs (<c>--shard K/N</c>) into one output folder and
/// renders every product for the whole area with the same code a single run uses (heatmap tiles, scores.csv,
/// scores.tif, heatmap.tif, run.json), so the result equals a single-machine run of the area.
/// </summary>
public static class ShardMerge
{
    /// <summary>Merges <paramref name="shardFolders"/> into <paramref name="outputFolder"/>.</summary>
    /// <param name="shardFolders">Output folders of the shard runs (each holds scores.sqlite).</param>
    /// <param name="outputFolder">Where the merged run goes (must not be one of the shards).</param>
    /// <param name="palette">Heatmap colours (use the shards' --colormap/--threshold for identical tiles).</param>
    /// <param name="force">Replace a folder holding another run.</param>
    /// <param name="cancellationToken">Stops the merge.</param>
    /// <returns>Tile counts of the merged store.</returns>
    /// <exception cref="UrbanScoreException">A folder has no store, the shards mix models, sources, matrix sets or
    /// labels, shards overlap, or the matrix set is not web mercator.</exception>
    public static async Task<RunCounts> MergeAsync(IReadOnlyList<string> shardFolders, string outputFolder, HeatmapPalette palette, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shardFolders);
        ArgumentNullException.ThrowIfNull(outputFolder);
        ArgumentNullException.ThrowIfNull(palette);
        if (shardFolders.Count == 0)
        {
            throw new UrbanScoreException("Merging needs at least one shard output folder; give the output folders of the shard runs.");
        }

        var outFull = Path.GetFullPath(outputFolder);
        if (shardFolders.Any(f => string.Equals(Path.GetFullPath(f).TrimEnd('/'), outFull.TrimEnd('/'), StringComparison.Ordinal)))
        {
            throw new UrbanScoreException($"The output folder {outputFolder} is one of the shard folders; merge into a new folder.")
            { Subject = InputSubject.OutputFolder };
        }

        var shards = new List<ScoreStore>();
        try
        {
            foreach (var folder in shardFolders)
            {
                shards.Add(ScoreStore.OpenExisting(folder));
            }

            var identity = CheckSameRun(shardFolders, shards);
            if (identity.Epsg != WebMercator.Epsg)
            {
                throw new UrbanScoreException($"The shards use tile matrix set {identity.TileMatrixSet} (EPSG:{identity.Epsg}); merge renders EPSG:3857 web-mercator runs only for now, so score such areas in one run.");
            }

            var set = TileMatrixSet.WebMercatorQuad();
            var extents = shards.SelectMany(s => s.Extents()).ToList();
            if (extents.Select(e => e.Zoom).Distinct().Count() != 1)
            {
                throw new UrbanScoreException("The shards hold tiles of different zoom levels (or none); merge shards of one run, scored at one zoom.");
            }

            var extent = new TileRange(Zoom: extents[0].Zoom, MinCol: extents.Min(e => e.MinCol), MinRow: extents.Min(e => e.MinRow), MaxCol: extents.Max(e => e.MaxCol), MaxRow: extents.Max(e => e.MaxRow));
            var matrix = set[extent.Zoom];
            long copied = 0;
            using (var merged = ScoreStore.Open(outputFolder, identity, force))
            {
                using var heatmap = new HeatmapTileWriter(outputFolder, matrix.TileWidth, matrix.TileHeight, palette);
                foreach (var shard in shards)
                {
                    foreach (var tile in shard.ReadAll())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var outcome = new TileOutcome(tile.Tile, tile.Status, tile.Score, tile.LabelScores, tile.Reason is null ? FailureKind.None : FailureKind.Other, tile.Reason, tile.Attempts);
                        await merged.WriteAsync(outcome, cancellationToken).ConfigureAwait(false);
                        await heatmap.WriteAsync(outcome, cancellationToken).ConfigureAwait(false);
                        copied++;
                    }
                }

                await merged.FlushAsync(cancellationToken).ConfigureAwait(false);
                var (scored, empty, failed) = merged.CountByStatus();
                if (scored + empty + failed != copied)
                {
                    throw new UrbanScoreException($"The shards overlap ({copied - (scored + empty + failed)} tiles in more than one); merge the outputs of one K/N shard split, each K once.");
                }

                var area = new BoxArea(BoundsOf(extent));
                var manifests = shardFolders.Select(f => Path.Combine(f, RunManifest.FileName)).Where(File.Exists).Select(RunManifest.Read).OfType<RunManifest>().ToList();
                RunCounts counts = null!;
                await RunOutputs.WriteAsync(merged, identity, set, extent, outputFolder, new ProductOptions { Palette = palette }, stored =>
                {
                    counts = stored with { Planned = manifests.Count == shardFolders.Count ? manifests.Sum(m => m.Tiles.Planned) : copied };
                    return new RunRecord
                    {
                        Command = "urbanscore merge " + string.Join(' ', shardFolders) + " --out " + outputFolder,
                        Model = manifests.FirstOrDefault()?.Model ?? string.Empty,
                        Zoom = extent.Zoom,
                        Area = manifests.FirstOrDefault()?.Area is { } described ? $"{described} (merged from {shardFolders.Count} shards)" : area.Description,
                        Bbox = manifests.FirstOrDefault()?.Bbox ?? [area.LonLatBounds.MinX, area.LonLatBounds.MinY, area.LonLatBounds.MaxX, area.LonLatBounds.MaxY],
                        Counts = counts,
                        StartedUtc = manifests.Count > 0 ? manifests.Min(m => m.StartedUtc) : DateTimeOffset.UtcNow,
                        WallSeconds = manifests.Count > 0 ? manifests.Max(m => m.WallSeconds) : 0,
                        TilesPerSecond = manifests.Sum(m => m.TilesPerSecond),
                    };
                }, cancellationToken).ConfigureAwait(false);
                return counts;
            }
        }
        finally
        {
            foreach (var shard in shards)
            {
                shard.Dispose();
            }
        }
    }

    private static RunIdentity CheckSameRun(IReadOnlyList<string> folders, List<ScoreStore> shards)
    {
        var first = shards[0].ReadIdentity();
        for (var i = 1; i < shards.Count; i++)
        {
            if (shards[i].ReadIdentity().FirstDifference(first) is { } difference)
            {
                throw new UrbanScoreException($"Shard {folders[i]} was scored with another {difference.What} than {folders[0]} ({difference.Mine} vs {difference.Theirs}); merge only shards of one run.");
            }
        }

        return first;
    }

    private static BoundingBox BoundsOf(TileRange extent)
    {
        var northWest = WebMercator.TileNorthWest(new TileIndex(Zoom: extent.Zoom, Col: extent.MinCol, Row: extent.MinRow));
        var southEast = WebMercator.TileNorthWest(new TileIndex(Zoom: extent.Zoom, Col: extent.MaxCol + 1, Row: extent.MaxRow + 1));
        return new BoundingBox(MinX: northWest.Lon, MinY: southEast.Lat, MaxX: Math.Min(180, southEast.Lon), MaxY: northWest.Lat);
    }
}
