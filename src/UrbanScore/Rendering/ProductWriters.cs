using System.Globalization;
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
        var palette = settings.Palette;
        var matrix = set[extent.Zoom];
        var identity = store.ReadIdentity();
        var outputs = new List<string>();
        var notes = new List<string>();

        if (rewriteScoredLevel)
        {
            HeatmapPyramid.WriteScoredLevel(store, extent, matrix, palette, outputFolder, cancellationToken);
        }

        var minZoom = HeatmapPyramid.ReachableMinZoom(set, extent.Zoom, settings.EffectiveMinZoom);
        if (minZoom > settings.EffectiveMinZoom)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"pyramid stops at level {minZoom}: level {minZoom - 1} of {set.Identifier} is not nested 2× in level {minZoom}"));
        }

        long pyramidTiles = 0;
        for (var level = extent.Zoom - 1; level >= minZoom; level--)
        {
            pyramidTiles += HeatmapPyramid.WriteLevel(store, extent, set[level], level, palette, outputFolder, cancellationToken);
        }

        var layer = HeatmapLayerInfo.Create(settings, identity, minZoom);
        long mbtilesTiles = 0;
        if (MbTilesWriter.Applies(set))
        {
            mbtilesTiles = MbTilesWriter.Write(outputFolder, layer, cancellationToken);
            WriteText(outputFolder, HeatmapLayerDocuments.TileJsonFileName, HeatmapLayerDocuments.TileJson(layer, settings.BaseUrl));
            WriteText(outputFolder, HeatmapLayerDocuments.WmtsFileName, HeatmapLayerDocuments.Wmts(layer, settings.BaseUrl));
            outputs.AddRange([MbTilesWriter.FileName, HeatmapLayerDocuments.TileJsonFileName, HeatmapLayerDocuments.WmtsFileName]);
        }
        else
        {
            notes.Add("heatmap.mbtiles, tilejson.json and heatmap-wmts.xml are written for web mercator (EPSG:3857) runs only");
        }

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
        void ReadRow(int row, Span<float> scores) => store.ReadScoreRow(extent.Zoom, row, extent.MinCol, scores);

        GeoTiffWriter.WriteScores(Path.Combine(outputFolder, ScoresTif), new GeoTiffGrid(set, extent, settings.ScorePixelsPerTile), ReadRow, tiffMetadata, cancellationToken);
        GeoTiffWriter.WriteHeatmap(Path.Combine(outputFolder, HeatmapTif), new GeoTiffGrid(set, extent, settings.HeatmapPixelsPerTile), ReadRow, palette.Map, tiffMetadata, cancellationToken);
        outputs.AddRange([ScoresTif, HeatmapTif]);

        var viewerNote = ViewerWriter.Write(outputFolder, settings, layer, identity, store.CountByStatus());
        outputs.AddRange([ViewerWriter.FileName, ViewerWriter.AssetFolder + "/"]);
        notes.Add(viewerNote);
        return new RenderResult(outputs, minZoom, extent.Zoom, pyramidTiles, mbtilesTiles, notes);
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
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"--min-zoom {min} is outside 0..{settings.Extent.Zoom} (the scored level); choose a lower level, e.g. {Math.Max(0, settings.Extent.Zoom - 6)}."));
        }
    }

    private static void WriteText(string folder, string name, string text) =>
        AtomicFile.Write(Path.Combine(folder, name), temp => File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false)));
}
