using System.Globalization;
using System.Text.Json;
using UrbanScore.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class GeoTiffWriterTests : IDisposable
{
    /// <summary>Reads every band of level 0 and of overview 0 with GDAL and dumps them as raw native arrays.</summary>
    private const string DumpScript = """
        import sys
        import numpy as np
        from osgeo import gdal
        ds = gdal.Open(sys.argv[1])
        ds.ReadAsArray().tofile(sys.argv[2])
        bands = [ds.GetRasterBand(i + 1) for i in range(ds.RasterCount)]
        np.stack([b.GetOverview(0).ReadAsArray() for b in bands]).tofile(sys.argv[3])
        """;

    /// <summary>Where Debian's python3-gdal puts GDAL's COG validator (3.6: the first; older packages: the second).</summary>
    private static readonly string[] s_validatorPaths =
    [
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py",
        "/usr/share/doc/python3-gdal/examples/validate_cloud_optimized_geotiff.py",
    ];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("urbanscore-geotiff-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void WriteScores_WebMercatorGrid_GdalReadsCrsCornersValuesNodataOverviewAndValidCog()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 12, MinCol: 2270, MinRow: 1180, MaxCol: 2270 + 599, MaxRow: 1180 + 299),
            pixelsPerTile: 1);
        var path = Path.Combine(_folder.FullName, "scores.tif");
        var metadata = new Dictionary<string, string> { ["labels"] = "city,not_city", ["zoom"] = "12", ["model"] = "sqz_city_cv.onnx" };

        GeoTiffWriter.WriteScores(path, grid, (row, scores) => FillScores(grid.Range, row, scores), metadata, TestContext.Current.CancellationToken);

        using var info = GdalInfo(gdalinfo, path);
        AssertCrsAndCorners(info.RootElement, grid, 3857);
        var band = info.RootElement.GetProperty("bands")[0];
        Assert.Equal("Float32", band.GetProperty("type").GetString());
        Assert.Equal(-9999.0, band.GetProperty("noDataValue").GetDouble());
        var overviewSize = band.GetProperty("overviews")[0].GetProperty("size");
        Assert.Equal(300, overviewSize[0].GetInt32());
        Assert.Equal(150, overviewSize[1].GetInt32());
        var items = info.RootElement.GetProperty("metadata").GetProperty("");
        Assert.Equal("city,not_city", items.GetProperty("labels").GetString());
        Assert.Equal("12", items.GetProperty("zoom").GetString());

        var (full, overview) = DumpWithGdal(path);
        var expected = ExpectedScores(grid.Range);
        var actual = ToFloats(full);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(float.IsNaN(expected[i]) ? GeoTiffWriter.NoDataValue : expected[i], actual[i]);
        }

        var expectedOverview = MeanOverview(expected, grid.Width, grid.Height);
        var actualOverview = ToFloats(overview);
        Assert.Equal(expectedOverview.Length, actualOverview.Length);
        for (var i = 0; i < expectedOverview.Length; i++)
        {
            Assert.Equal(float.IsNaN(expectedOverview[i]) ? GeoTiffWriter.NoDataValue : expectedOverview[i], actualOverview[i], 6);
        }

        AssertValidCog(path);
    }

    [Fact]
    public void WriteHeatmap_WebMercatorGrid_GdalReadsRgbaAlphaPaletteColoursAndValidCog()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 15, MinCol: 18650, MinRow: 9480, MaxCol: 18650 + 39, MaxRow: 9480 + 19),
            pixelsPerTile: GeoTiffWriter.DefaultHeatmapPixelsPerTile);
        var path = Path.Combine(_folder.FullName, "heatmap.tif");

        GeoTiffWriter.WriteHeatmap(path, grid, (row, scores) => FillScores(grid.Range, row, scores), cancellationToken: TestContext.Current.CancellationToken);

        using var info = GdalInfo(gdalinfo, path);
        AssertCrsAndCorners(info.RootElement, grid, 3857);
        var bands = info.RootElement.GetProperty("bands");
        Assert.Equal(4, bands.GetArrayLength());
        Assert.Equal("Byte", bands[0].GetProperty("type").GetString());
        Assert.Equal("Alpha", bands[3].GetProperty("colorInterpretation").GetString());
        Assert.Equal(2, bands[0].GetProperty("overviews").GetArrayLength()); // 320×160 and 160×80

        var (full, overview) = DumpWithGdal(path);
        var scores = ExpectedScores(grid.Range);
        var n = grid.PixelsPerTile;
        var pixelCount = grid.Width * grid.Height;
        var rgba = new byte[4];
        for (var y = 0; y < grid.Height; y++)
        {
            for (var x = 0; x < grid.Width; x++)
            {
                var score = scores[((y / n) * grid.Range.Width) + (x / n)];
                ExpectedColour(score, rgba);
                for (var b = 0; b < 4; b++)
                {
                    Assert.Equal(rgba[b], full[(b * pixelCount) + (y * grid.Width) + x]);
                }
            }
        }

        // Each overview pixel averages 2×2 pixels of one tile: the same colour, or 0,0,0,0 where alpha was 0.
        var overviewWidth = grid.Width / 2;
        var overviewCount = overviewWidth * (grid.Height / 2);
        for (var y = 0; y < grid.Height / 2; y++)
        {
            for (var x = 0; x < overviewWidth; x++)
            {
                ExpectedColour(scores[((2 * y / n) * grid.Range.Width) + (2 * x / n)], rgba);
                if (rgba[3] == 0)
                {
                    Array.Clear(rgba);
                }

                for (var b = 0; b < 4; b++)
                {
                    Assert.Equal(rgba[b], overview[(b * overviewCount) + (y * overviewWidth) + x]);
                }
            }
        }

        AssertValidCog(path);
    }

    [Fact]
    public void WriteScores_Epsg4326Grid_GdalReportsGeographicCrsAndCorners()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var grid = new GeoTiffGrid(
            WorldCrs84Quad(maxZoom: 6),
            new TileRange(Zoom: 6, MinCol: 70, MinRow: 20, MaxCol: 77, MaxRow: 25),
            pixelsPerTile: 48);
        var path = Path.Combine(_folder.FullName, "scores-4326.tif");

        GeoTiffWriter.WriteScores(path, grid, (row, scores) => FillScores(grid.Range, row, scores), cancellationToken: TestContext.Current.CancellationToken);

        using var info = GdalInfo(gdalinfo, path);
        AssertCrsAndCorners(info.RootElement, grid, 4326);
        Assert.Equal(-180.0 + (70 * 180.0 / 64), grid.Bounds.MinX, 9);
        Assert.Equal(90.0 - (20 * 180.0 / 64), grid.Bounds.MaxY, 9);

        // 48 px per tile does not divide the 256 px TIFF tiles, so map tiles straddle TIFF tiles here.
        var (full, _) = DumpWithGdal(path);
        var actual = ToFloats(full);
        var expected = ExpectedScores(grid.Range);
        var n = grid.PixelsPerTile;
        for (var y = 0; y < grid.Height; y++)
        {
            for (var x = 0; x < grid.Width; x++)
            {
                var score = expected[((y / n) * grid.Range.Width) + (x / n)];
                Assert.Equal(float.IsNaN(score) ? GeoTiffWriter.NoDataValue : score, actual[(y * grid.Width) + x]);
            }
        }

        AssertValidCog(path);
    }

    [Fact]
    public void WriteScores_ForcedBigTiff_IsBigTiffAndValidCog()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 10, MinCol: 580, MinRow: 290, MaxCol: 589, MaxRow: 299),
            pixelsPerTile: 40);
        var path = Path.Combine(_folder.FullName, "big.tif");
        var writer = new CogWriter(grid, new CogPixelFormat.Float32Scores(), null, parallelism: 2, bigTiff: true);

        writer.Write(path, (row, scores) => FillScores(grid.Range, row, scores), TestContext.Current.CancellationToken);

        var header = new byte[4];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        // "II" then version 43 marks BigTIFF (classic is 42).
        Assert.Equal(new byte[] { 0x49, 0x49, 43, 0 }, header);
        using var info = GdalInfo(gdalinfo, path);
        AssertCrsAndCorners(info.RootElement, grid, 3857);
        AssertValidCog(path);
    }

    [Fact]
    public void WriteScores_RowReaderThrows_LeavesNoFileBehind()
    {
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 12, MinCol: 100, MinRow: 100, MaxCol: 699, MaxRow: 899),
            pixelsPerTile: 1);
        var path = Path.Combine(_folder.FullName, "scores.tif");

        var error = Assert.Throws<InvalidOperationException>(() => GeoTiffWriter.WriteScores(
            path,
            grid,
            (row, scores) =>
            {
                if (row == 400)
                {
                    throw new InvalidOperationException("store failed");
                }
            },
            cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("store failed", error.Message);
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public void WriteHeatmap_ExistingFileAndCancelledToken_KeepsExistingFile()
    {
        var grid = new GeoTiffGrid(
            TileMatrixSet.WebMercatorQuad(),
            new TileRange(Zoom: 12, MinCol: 100, MinRow: 100, MaxCol: 120, MaxRow: 120),
            pixelsPerTile: 16);
        var path = Path.Combine(_folder.FullName, "heatmap.tif");
        File.WriteAllText(path, "previous run");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            GeoTiffWriter.WriteHeatmap(path, grid, (row, scores) => scores.Fill(0.5f), cancellationToken: cancellation.Token));

        Assert.Equal("previous run", File.ReadAllText(path));
        Assert.Single(_folder.GetFiles());
    }

    /// <summary>Deterministic scores with some NaN (no data) tiles, a function of the tile indices.</summary>
    private static float Score(int col, int row) =>
        ((col + row) % 17) == 0 ? float.NaN : (((col * 7) + (row * 13)) % 101) / 100f;

    private static void FillScores(TileRange range, int row, Span<float> scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Score(range.MinCol + i, row);
        }
    }

    private static float[] ExpectedScores(TileRange range)
    {
        var scores = new float[range.Count];
        for (var row = 0; row < range.Height; row++)
        {
            for (var col = 0; col < range.Width; col++)
            {
                scores[(row * range.Width) + col] = Score(range.MinCol + col, range.MinRow + row);
            }
        }

        return scores;
    }

    private static float[] MeanOverview(float[] pixels, int width, int height)
    {
        var outWidth = (width + 1) / 2;
        var outHeight = (height + 1) / 2;
        var result = new float[outWidth * outHeight];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                var values = new List<float>();
                for (var dy = 0; dy < 2; dy++)
                {
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var sx = (2 * x) + dx;
                        var sy = (2 * y) + dy;
                        if (sx < width && sy < height && !float.IsNaN(pixels[(sy * width) + sx]))
                        {
                            values.Add(pixels[(sy * width) + sx]);
                        }
                    }
                }

                result[(y * outWidth) + x] = values.Count == 0 ? float.NaN : (float)values.Average(v => (double)v);
            }
        }

        return result;
    }

    private static void ExpectedColour(float score, byte[] rgba)
    {
        if (float.IsNaN(score))
        {
            Array.Clear(rgba);
            return;
        }

        rgba[0] = 255;
        rgba[1] = 0;
        rgba[2] = 0;
        rgba[3] = (byte)Math.Round(255.0 * score, MidpointRounding.AwayFromZero);
    }

    private static float[] ToFloats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    private static JsonDocument GdalInfo(string gdalinfo, string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run(gdalinfo, ["-json", path]);
        Assert.True(exitCode == 0, "gdalinfo failed: " + stderr);
        return JsonDocument.Parse(stdout);
    }

    private static void AssertCrsAndCorners(JsonElement info, GeoTiffGrid grid, int epsg)
    {
        // GDAL's WKT2 ends with the CRS's own identifier.
        var wkt = info.GetProperty("coordinateSystem").GetProperty("wkt").GetString()!;
        Assert.EndsWith("ID[\"EPSG\"," + epsg.ToString(CultureInfo.InvariantCulture) + "]]", wkt, StringComparison.Ordinal);
        Assert.Equal(grid.Width, info.GetProperty("size")[0].GetInt32());
        Assert.Equal(grid.Height, info.GetProperty("size")[1].GetInt32());

        // gdalinfo rounds cornerCoordinates to 1e-3 (m or degrees) but prints the geotransform in full, so the exact
        // corners are checked from the geotransform and the rounded ones loosely.
        var matrix = grid.MatrixSet[grid.Range.Zoom];
        var union = grid.Range.Enumerate().Select(t => matrix.TileBounds(t.Col, t.Row)).Aggregate((a, b) => a.Union(b));
        var transform = info.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var tolerance = epsg == 4326 ? 1e-11 : 1e-6;
        Assert.Equal(0.0, transform[2]);
        Assert.Equal(0.0, transform[4]);
        Assert.InRange(transform[0], union.MinX - tolerance, union.MinX + tolerance);
        Assert.InRange(transform[3], union.MaxY - tolerance, union.MaxY + tolerance);
        Assert.InRange(transform[0] + (grid.Width * transform[1]), union.MaxX - tolerance, union.MaxX + tolerance);
        Assert.InRange(transform[3] + (grid.Height * transform[5]), union.MinY - tolerance, union.MinY + tolerance);

        var corners = info.GetProperty("cornerCoordinates");
        AssertCorner(corners.GetProperty("upperLeft"), union.MinX, union.MaxY, 1e-3);
        AssertCorner(corners.GetProperty("lowerRight"), union.MaxX, union.MinY, 1e-3);
        AssertCorner(corners.GetProperty("lowerLeft"), union.MinX, union.MinY, 1e-3);
        AssertCorner(corners.GetProperty("upperRight"), union.MaxX, union.MaxY, 1e-3);
    }

    private static void AssertCorner(JsonElement corner, double x, double y, double tolerance)
    {
        Assert.InRange(corner[0].GetDouble(), x - tolerance, x + tolerance);
        Assert.InRange(corner[1].GetDouble(), y - tolerance, y + tolerance);
    }

    private (byte[] Full, byte[] Overview) DumpWithGdal(string path)
    {
        var python = RequireGdalPython();
        var full = Path.Combine(_folder.FullName, "full.bin");
        var overview = Path.Combine(_folder.FullName, "overview.bin");
        var (exitCode, _, stderr) = ExternalTool.Run(python, ["-c", DumpScript, path, full, overview]);
        Assert.True(exitCode == 0, "GDAL python read failed: " + stderr);
        var result = (File.ReadAllBytes(full), File.ReadAllBytes(overview));
        File.Delete(full);
        File.Delete(overview);
        return result;
    }

    private static void AssertValidCog(string path)
    {
        var python = RequireGdalPython();
        var validator = s_validatorPaths.FirstOrDefault(File.Exists);
        if (validator is null)
        {
            Assert.Skip("GDAL's validate_cloud_optimized_geotiff.py is not installed (apt-get install python3-gdal).");
        }

        var (exitCode, stdout, stderr) = ExternalTool.Run(python, [validator, path]);
        Assert.True(exitCode == 0, "COG validator: " + stdout + stderr);
        Assert.Contains("is a valid cloud optimized GeoTIFF", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("arning", stdout + stderr, StringComparison.Ordinal);
    }

    private static string RequireGdalPython()
    {
        // Debian's python3-gdal lives in the system interpreter, not in a pyenv one that may be first on PATH.
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            Assert.Skip("/usr/bin/python3 is not installed (apt-get install python3-gdal).");
        }

        var (exitCode, _, _) = ExternalTool.Run(python, ["-c", "import numpy\nfrom osgeo import gdal"]);
        if (exitCode != 0)
        {
            Assert.Skip("GDAL's python bindings are not installed (apt-get install python3-gdal).");
        }

        return python;
    }

    /// <summary>An OGC WorldCRS84Quad-style set in EPSG:4326: 2×1 tiles of 256 px at level 0, lon/lat order.</summary>
    private static TileMatrixSet WorldCrs84Quad(int maxZoom)
    {
        const double metresPerDegree = 6378137.0 * 2.0 * Math.PI / 360.0;
        var matrices = Enumerable.Range(0, maxZoom + 1).Select(z =>
        {
            var resolution = 180.0 / 256 / (1L << z);
            return new TileMatrix(
                Identifier: z.ToString(CultureInfo.InvariantCulture),
                ScaleDenominator: resolution * metresPerDegree / TileMatrix.StandardPixelSizeMetres,
                Resolution: resolution,
                TopLeftX: -180.0,
                TopLeftY: 90.0,
                TileWidth: 256,
                TileHeight: 256,
                MatrixWidth: 2L << z,
                MatrixHeight: 1L << z);
        });
        return new TileMatrixSet("WorldCRS84Quad", 4326, matrices);
    }
}
