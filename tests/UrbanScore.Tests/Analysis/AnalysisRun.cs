using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Analysis;

/// <summary>Writes a finished run folder (scores.sqlite with its grid saved) from given tile outcomes, without a model.</summary>
internal static class AnalysisRun
{
    /// <summary>A tile and its score: NaN for an empty tile, −1 for a failed one.</summary>
    public static void Write(string folder, TileMatrixSet set, TileRange extent, IEnumerable<(TileIndex Tile, float Score)> tiles, string modelSha256 = "ab12", string source = "XYZ http://127.0.0.1/{z}/{x}/{y}.jpg")
    {
        var identity = new RunIdentity
        {
            Source = source,
            TileMatrixSet = set.Identifier,
            Epsg = set.Epsg,
            ModelSha256 = modelSha256,
            Labels = ["city", "other"],
            PositiveLabel = "city",
        };
        using var store = ScoreStore.Open(folder, identity, force: true);
        foreach (var (tile, score) in tiles)
        {
            var status = float.IsNaN(score) ? TileStatus.Empty : score < 0 ? TileStatus.Failed : TileStatus.Scored;
            var labels = status == TileStatus.Scored ? new[] { score, 1 - score } : [];
            store.WriteAsync(new TileOutcome(tile, status, status == TileStatus.Scored ? score : float.NaN, labels, status == TileStatus.Failed ? FailureKind.Http404 : FailureKind.None, status == TileStatus.Scored ? null : "test", 1), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        store.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        new ProductSettings
        {
            Colormap = "red",
            Threshold = 0,
            ScorePixelsPerTile = 1,
            HeatmapPixelsPerTile = 16,
            Extent = extent,
            MatrixSet = set,
            Date = "2026-01-01T00:00:00Z",
        }.Save(store);
    }

    /// <summary>
    /// The ellipsoidal area (m²) of a longitude/latitude rectangle by Simpson's rule over the WGS 84 area element
    /// M·N·cos φ dφ dλ = a²(1 − e²) cos φ / (1 − e² sin² φ)² dφ dλ: independent of the closed form under test.
    /// </summary>
    public static double NumericalRectangleArea(double west, double south, double east, double north)
    {
        const double a = 6378137.0;
        const double f = 1 / 298.257223563;
        var e2 = f * (2 - f);
        double Element(double phi) => a * a * (1 - e2) * Math.Cos(phi) / Math.Pow(1 - (e2 * Math.Sin(phi) * Math.Sin(phi)), 2);
        const int n = 2000;
        var p0 = south * Math.PI / 180;
        var p1 = north * Math.PI / 180;
        var h = (p1 - p0) / n;
        var sum = Element(p0) + Element(p1);
        for (var i = 1; i < n; i++)
        {
            sum += Element(p0 + (i * h)) * (i % 2 == 1 ? 4 : 2);
        }

        return sum * h / 3 * ((east - west) * Math.PI / 180);
    }

    /// <summary>Ground area of a web-mercator tile by <see cref="NumericalRectangleArea"/> from its corners.</summary>
    public static double NumericalTileArea(TileIndex tile)
    {
        var nw = WebMercator.TileNorthWest(tile);
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: tile.Zoom, Col: tile.Col + 1, Row: tile.Row + 1));
        return NumericalRectangleArea(nw.Lon, se.Lat, se.Lon, nw.Lat);
    }
}
