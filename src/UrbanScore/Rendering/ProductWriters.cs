using System.Globalization;
using System.Runtime.ExceptionServices;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Renders every product of a run from its store: the heatmap pyramid, heatmap.mbtiles, tilejson.json,
/// heatmap-wmts.xml, scores.tif, heatmap.tif and the viewer. <c>score</c> calls <see cref="Write"/> after the pipeline;
/// <c>render</c> calls <see cref="Render"/> with the settings <see cref="Write"/> saved, so both give the same bytes.
/// </summary>
internal static class ProductWriters
{
    public const string ScoresTif = "scores.tif";
    public const string HeatmapTif = "heatmap.tif";

    /// <summary>The product step of a run or a merge: saves the render settings into the store, then renders.</summary>
    public static IReadOnlyList<string> Write(ScoreStore store, TileMatrixSet set, TileRange extent, string outputFolder, ProductOptions options, CancellationToken cancellationToken)
    {
        var previous = TryLoad(store);
        var settings = new ProductSettings
        {
            Colormap = options.Palette.Name,
            Threshold = options.Palette.Threshold,
            MinZoom = options.MinZoom,
            ScorePixelsPerTile = options.ScorePixelsPerTile,
            HeatmapPixelsPerTile = options.HeatmapPixelsPerTile,
            BaseUrl = ProductSettings.NormaliseBaseUrl(options.BaseUrl),
            Extent = extent,
            MatrixSet = set,
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        Validate(settings);
        settings.Save(store);

        // The pipeline wrote only this invocation's tiles with the current palette; earlier ones need recolouring.
        var recolour = previous is not null && (previous.Colormap != settings.Colormap || previous.Threshold != settings.Threshold);
        return Render(store, outputFolder, settings, rewriteScoredLevel: recolour, cancellationToken).Outputs;
    }

    /// <summary>Renders every product from the store with <paramref name="settings"/>.</summary>
    public static RenderResult Render(ScoreStore store, string outputFolder, ProductSettings settings, bool rewriteScoredLevel, CancellationToken cancellationToken)
    {
        Validate(settings);
        var set = settings.MatrixSet;
        var extent = settings.Extent;
        var identity = store.ReadIdentity();
        var outputs = new List<string>();
        var notes = new List<string>();

        var minZoom = HeatmapPyramid.ReachableMinZoom(set, extent.Zoom, settings.EffectiveMinZoom);
        if (minZoom > settings.EffectiveMinZoom)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"pyramid stops at level {minZoom}: level {minZoom - 1} of {set.Identifier} is not nested 2× in level {minZoom}"));
        }

        var layer = HeatmapLayerInfo.Create(settings, identity, minZoom);
        var tiffMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["URBANSCORE_VERSION"] = identity.Version,
            ["SOURCE"] = identity.Source,
            ["TILE_MATRIX_SET"] = set.Identifier,
            ["ZOOM"] = extent.Zoom.ToString(CultureInfo.InvariantCulture),
            ["MODEL_SHA256"] = identity.ModelSha256,
            ["LABELS"] = string.Join(',', identity.Labels),
            ["POSITIVE_LABEL"] = identity.PositiveLabel,
            ["DATE"] = settings.Date,
        };

        var (pyramidTiles, mbtilesTiles) = ProductPass(store, outputFolder, settings, layer, minZoom, tiffMetadata, rewriteScoredLevel, cancellationToken);
        if (MbTilesWriter.Applies(set))
        {
            var root = HeatmapLayerDocuments.Prefix(outputFolder, settings.BaseUrl);
            WriteText(outputFolder, HeatmapLayerDocuments.TileJsonFileName, HeatmapLayerDocuments.TileJson(layer, root));
            WriteText(outputFolder, HeatmapLayerDocuments.WmtsFileName, HeatmapLayerDocuments.Wmts(layer, root));
            outputs.AddRange([MbTilesWriter.FileName, HeatmapLayerDocuments.TileJsonFileName, HeatmapLayerDocuments.WmtsFileName]);
        }
        else
        {
            notes.Add("heatmap.mbtiles, tilejson.json and heatmap-wmts.xml are written for web mercator (EPSG:3857) runs only");
        }

        outputs.AddRange([ScoresTif, HeatmapTif]);

        var viewerNote = ViewerWriter.Write(outputFolder, settings, layer, identity, store.CountByStatus(), UrbanAreaText(store, settings, cancellationToken));
        outputs.AddRange([ViewerWriter.FileName, ViewerWriter.AssetFolder + "/"]);
        notes.Add(viewerNote);
        return new RenderResult(outputs, minZoom, extent.Zoom, pyramidTiles, mbtilesTiles, notes);
    }

    /// <summary>
    /// The one pass over the store that every raster product shares: the scored level is read once, row by row, north
    /// to south, and each row goes to the heatmap pyramid (all levels at once), to heatmap.mbtiles (PNG bytes from
    /// memory, not read back from the files) and to the two GeoTIFF writers, which compress on their own threads.
    /// </summary>
    /// <remarks>
    /// MBTiles rows are inserted in the pass's order — per store row, the scored tiles west to east, then each pyramid
    /// row that row completes, from the level above down — which depends on the store alone, so <c>render</c> gives the
    /// same bytes as <c>score</c>. Memory: a row window per writer and a row of parent tiles per pyramid level.
    /// </remarks>
    private static (long PyramidTiles, long MbTilesTiles) ProductPass(
        ScoreStore store,
        string outputFolder,
        ProductSettings settings,
        HeatmapLayerInfo layer,
        int minZoom,
        Dictionary<string, string> tiffMetadata,
        bool rewriteScoredLevel,
        CancellationToken cancellationToken)
    {
        var set = settings.MatrixSet;
        var extent = settings.Extent;
        var matrix = set[extent.Zoom];
        var palette = settings.Palette;
        using var scoredLevel = new HeatmapTileWriter(outputFolder, matrix.TileWidth, matrix.TileHeight, palette);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var mbtiles = MbTilesWriter.Applies(set) ? new MbTilesWriter(outputFolder, layer) : null;
        using var files = new TileFileQueue(failed);
        var pyramid = new PyramidBuilder(extent, set, minZoom, palette, outputFolder, files, mbtiles is null ? null : mbtiles.Add);
        using var scoresFeed = new RowFeed(extent.Width, failed.Token);
        using var heatmapFeed = new RowFeed(extent.Width, failed.Token);
        var writers = new[]
        {
            files.Completion,
            StartWriter(failed, () => GeoTiffWriter.WriteScores(Path.Combine(outputFolder, ScoresTif), new GeoTiffGrid(set, extent, settings.ScorePixelsPerTile), scoresFeed.Read, tiffMetadata, failed.Token)),
            StartWriter(failed, () => GeoTiffWriter.WriteHeatmap(Path.Combine(outputFolder, HeatmapTif), new GeoTiffGrid(set, extent, settings.HeatmapPixelsPerTile), heatmapFeed.Read, palette.Map, tiffMetadata, failed.Token)),
        };

        try
        {
            var scores = new float[extent.Width];
            for (var row = extent.MinRow; row <= extent.MaxRow; row++)
            {
                failed.Token.ThrowIfCancellationRequested();
                store.ReadScoreRow(extent.Zoom, row, extent.MinCol, scores);
                scoresFeed.Publish(row, scores);
                heatmapFeed.Publish(row, scores);
                for (var i = 0; i < scores.Length; i++)
                {
                    if (float.IsNaN(scores[i]))
                    {
                        continue;
                    }

                    var tile = new TileIndex(Zoom: extent.Zoom, Col: extent.MinCol + i, Row: row);
                    var level = HeatmapPalette.Level(scores[i]);
                    if (rewriteScoredLevel)
                    {
                        scoredLevel.Write(tile, level);
                    }

                    mbtiles?.Add(tile, scoredLevel.PngOf(level));
                }

                pyramid.AddRow(row, scores, failed.Token);
            }

            files.CompleteAdding();
            scoresFeed.Complete();
            heatmapFeed.Complete();
            Task.WaitAll(writers, cancellationToken);
            mbtiles?.Complete();
        }
        catch (Exception error)
        {
            failed.Cancel();
            var writerError = WaitQuietly(writers);
            if (writerError is not null && error is OperationCanceledException or AggregateException && !cancellationToken.IsCancellationRequested)
            {
                // The pass stopped because a writer failed (disk full, ...): that failure is the one to report.
                ExceptionDispatchInfo.Throw(writerError);
            }

            throw;
        }

        return (files.Written + files.Linked, mbtiles?.Count ?? 0);
    }

    /// <summary>Waits for the writers to stop; returns the first failure that is not a cancellation, or null.</summary>
    private static Exception? WaitQuietly(Task[] writers)
    {
        try
        {
            Task.WaitAll(writers, CancellationToken.None);
            return null;
        }
        catch (AggregateException stopped)
        {
            return stopped.Flatten().InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException);
        }
    }

    /// <summary>Runs a GeoTIFF writer on its own thread; its failure cancels the pass.</summary>
    private static Task StartWriter(CancellationTokenSource failed, Action write) => Task.Factory.StartNew(
        () =>
        {
            try
            {
                write();
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>
    /// The viewer's "Urban area" line: the ground area on the WGS 84 ellipsoid of the tiles with P ≥ 0.5, and Σ P × area
    /// (the total of <c>urbanscore stats</c>; docs/analysis.md). One streamed pass over the store.
    /// </summary>
    private static string UrbanAreaText(ScoreStore store, ProductSettings settings, CancellationToken cancellationToken)
    {
        const double threshold = 0.5;
        TileGeometry geometry;
        try
        {
            geometry = new TileGeometry(settings.MatrixSet, settings.Extent.Zoom);
        }
        catch (Crs.UnsupportedCrsException)
        {
            return "not measured: the tile matrix set's CRS is not in the CRS registry";
        }

        double urban = 0, expected = 0;
        long urbanTiles = 0, n = 0;
        foreach (var (tile, status, score) in store.ReadScores(settings.Extent.Zoom))
        {
            if ((++n & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (status != TileStatus.Scored || float.IsNaN(score))
            {
                continue;
            }

            var area = geometry.SquareMetres(tile.Col, tile.Row) / 1e6;
            expected += score * area;
            if (score >= threshold)
            {
                urban += area;
                urbanTiles++;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{urban:0.##} km² in {urbanTiles} tiles with P ≥ 0.5 (expected {expected:0.##} km² = Σ P × area)");
    }

    private static ProductSettings? TryLoad(ScoreStore store)
    {
        try
        {
            return ProductSettings.Load(store);
        }
        catch (UrbanScoreException)
        {
            return null;
        }
    }

    private static void Validate(ProductSettings settings)
    {
        if (settings.MinZoom is { } min && (min < 0 || min > settings.Extent.Zoom))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Minimum zoom {min} is outside 0..{settings.Extent.Zoom} (the scored level); choose a lower level, e.g. {Math.Max(0, settings.Extent.Zoom - 6)}."))
            { Subject = InputSubject.MinZoom };
        }
    }

    private static void WriteText(string folder, string name, string text) =>
        AtomicFile.Write(Path.Combine(folder, name), temp => File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false)));
}
