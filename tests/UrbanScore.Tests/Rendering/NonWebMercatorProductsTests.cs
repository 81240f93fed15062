using System.Globalization;
using System.Text.Json;
using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class NonWebMercatorProductsTests : IDisposable
{
    private const int MinCol = 512;
    private const int MinRow = 300;
    private readonly string _out = ProductRun.NewFolder();

    // z10 of an ETRS-TM35FIN-style set: cols 512..514, rows 300..301 (NaN = empty, -1 = failed).
    private static readonly float[,] s_scores =
    {
        { 0.25f, float.NaN, 0.75f },
        { 1f, -1f, 0.5f },
    };

    public void Dispose() => ProductRun.Delete(_out);

    /// <summary>JHS 180 ETRS-TM35FIN (EPSG:3067): 8192 m/px at level 0, halving per level, origin (-548576, 8388608).</summary>
    private static TileMatrixSet EtrsTm35Fin(bool nested = true) => new("ETRS-TM35FIN", 3067, Enumerable.Range(0, 16).Select(z =>
    {
        var resolution = 8192.0 / Math.Pow(2, z) * (!nested && z == 9 ? 1.5 : 1.0);
        return new TileMatrix(
            Identifier: z.ToString(CultureInfo.InvariantCulture),
            ScaleDenominator: resolution / TileMatrix.StandardPixelSizeMetres,
            Resolution: resolution,
            TopLeftX: -548576,
            TopLeftY: 8388608,
            TileWidth: 256,
            TileHeight: 256,
            MatrixWidth: 1L << z,
            MatrixHeight: 1L << z);
    }));

    private RenderResult Render(TileMatrixSet set, int? minZoom = null)
    {
        var settings = ProductRun.HandStore(_out, MinCol, MinRow, s_scores, minZoom, set: set);
        using var store = ScoreStore.OpenExisting(_out);
        return ProductWriters.Render(store, _out, settings, rewriteScoredLevel: true, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Render_Epsg3067NestedSet_WritesPyramidButNoWebMercatorDocuments()
    {
        var result = Render(EtrsTm35Fin());

        Assert.Equal(4, result.MinZoom);
        Assert.True(File.Exists(Path.Combine(_out, "heatmap", "9", "256", "150.png")));
        Assert.True(File.Exists(Path.Combine(_out, "heatmap", "10", "512", "300.png")));
        Assert.False(File.Exists(Path.Combine(_out, "heatmap.mbtiles")));
        Assert.False(File.Exists(Path.Combine(_out, "tilejson.json")));
        Assert.Contains(result.Notes, n => n.Contains("EPSG:3857", StringComparison.Ordinal));
        Assert.Contains("heatmap.tif", File.ReadAllText(Path.Combine(_out, "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Epsg3067NotNested_WritesOnlyTheScoredLevelAndSaysWhy()
    {
        var result = Render(EtrsTm35Fin(nested: false), minZoom: 5);

        Assert.Equal(10, result.MinZoom);
        Assert.Equal(0, result.PyramidTiles);
        Assert.False(Directory.Exists(Path.Combine(_out, "heatmap", "9")));
        Assert.Contains(result.Notes, n => n.Contains("not nested", StringComparison.Ordinal));
    }

    [Fact]
    public void ScoresTif_Epsg3067Run_GdalReportsCrsCornersAndStoredScores()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var translate = ExternalTool.Require("gdal_translate", "gdal-bin");
        var set = EtrsTm35Fin();
        var settings = ProductRun.HandStore(_out, MinCol, MinRow, s_scores, minZoom: null, set: set);
        using (var store = ScoreStore.OpenExisting(_out))
        {
            ProductWriters.Render(store, _out, new ProductSettings
            {
                Colormap = "red",
                Threshold = 0,
                ScorePixelsPerTile = 4,
                HeatmapPixelsPerTile = 8,
                Extent = settings.Extent,
                MatrixSet = set,
                Date = settings.Date,
            }, rewriteScoredLevel: true, TestContext.Current.CancellationToken);
        }

        var path = Path.Combine(_out, "scores.tif");
        var (exit, stdout, stderr) = ExternalTool.Run(gdalinfo, ["-json", path]);
        Assert.True(exit == 0, stderr);
        using var info = JsonDocument.Parse(stdout);
        var root = info.RootElement;
        Assert.Contains("3067", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), StringComparison.Ordinal);
        var nw = set[10].TileBounds(MinCol, MinRow);
        var upperLeft = root.GetProperty("cornerCoordinates").GetProperty("upperLeft");
        Assert.Equal(nw.MinX, upperLeft[0].GetDouble(), 6);
        Assert.Equal(nw.MaxY, upperLeft[1].GetDouble(), 6);
        Assert.Equal(12, root.GetProperty("size")[0].GetInt32());
        Assert.Equal(8, root.GetProperty("size")[1].GetInt32());

        var (xyzExit, xyz, xyzError) = ExternalTool.Run(translate, ["-q", "-of", "XYZ", path, "/vsistdout/"]);
        Assert.True(xyzExit == 0, xyzError);
        var values = xyz.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12 * 8, values.Length);
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                var expected = s_scores[r, c] is var p && (float.IsNaN(p) || p < 0) ? GeoTiffWriter.NoDataValue : p;
                Assert.Equal(expected, values[(((r * 4) + 2) * 12) + (c * 4) + 1], 6);
            }
        }
    }
}
