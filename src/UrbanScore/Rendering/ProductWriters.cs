using System.Globalization;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>Renders the raster products of a run from its store (scores.tif, heatmap.tif); returns their file names.</summary>
internal static class ProductWriters
{
    public const string ScoresTif = "scores.tif";
    public const string HeatmapTif = "heatmap.tif";

    public static IReadOnlyList<string> Write(ScoreStore store, TileMatrixSet set, TileRange extent, ScoreJobOptions options, RunIdentity identity, string modelSha256, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["URBANSCORE_VERSION"] = ProductInfo.Version,
            ["SOURCE"] = identity.Source,
            ["TILE_MATRIX_SET"] = identity.TileMatrixSet,
            ["ZOOM"] = extent.Zoom.ToString(CultureInfo.InvariantCulture),
            ["MODEL_SHA256"] = modelSha256,
            ["LABELS"] = string.Join(',', identity.Labels),
            ["POSITIVE_LABEL"] = identity.PositiveLabel,
            ["DATE"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        void ReadRow(int row, Span<float> scores) => store.ReadScoreRow(extent.Zoom, row, extent.MinCol, scores);

        GeoTiffWriter.WriteScores(Path.Combine(options.OutputFolder, ScoresTif), new GeoTiffGrid(set, extent, GeoTiffWriter.DefaultScorePixelsPerTile), ReadRow, metadata, cancellationToken);
        GeoTiffWriter.WriteHeatmap(Path.Combine(options.OutputFolder, HeatmapTif), new GeoTiffGrid(set, extent, options.HeatmapPixelsPerTile), ReadRow, options.Palette.Map, metadata, cancellationToken);
        return [ScoresTif, HeatmapTif];
    }
}
