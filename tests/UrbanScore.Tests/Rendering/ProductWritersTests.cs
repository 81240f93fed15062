using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Tools.Hosting;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Rendering;

public sealed class ProductWritersTests : IDisposable
{
    private static readonly TileRange s_range = TileCover.ForBoundingBox(ProductRun.Area, TileMatrixSet.WebMercatorQuad(), 12).Single();
    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    private async Task ScoreAsync(HeatmapPalette? palette = null)
    {
        await using var server = await ProductRun.TileServerAsync(missing: (c, r) => c == s_range.MinCol && r == s_range.MinRow);
        var result = await ProductRun.ScoreAsync(server, _out, palette: palette);
        Assert.Equal(11, result.Counts.Scored);
        Assert.Equal(1, result.Counts.Empty);
    }

    [Fact]
    public async Task Render_AfterScore_RewritesEveryProductByteForByte()
    {
        await ScoreAsync();
        var scored = ProductRun.Hashes(_out);
        foreach (var entry in Directory.EnumerateFileSystemEntries(_out))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith("scores.sqlite", StringComparison.Ordinal) && name != "run.json")
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }

        var (exit, stdout, stderr) = await CliRun.RunAsync("render", "--out", _out);

        Assert.True(exit == 0, stderr);
        Assert.Contains("heatmap levels 6..12", stdout, StringComparison.Ordinal);
        var rendered = ProductRun.Hashes(_out);
        Assert.Equal(scored.Keys, rendered.Keys);
        Assert.Equal(scored, rendered);
        Assert.Contains("heatmap.mbtiles", scored.Keys);
        Assert.Contains("scores.tif", scored.Keys);
        Assert.Contains("heatmap.tif", scored.Keys);
        Assert.Contains("index.html", scored.Keys);
        Assert.Contains("viewer/leaflet.js", scored.Keys);
        Assert.Contains("heatmap/6/36/18.png", scored.Keys);
    }

    [Fact]
    public async Task Score_RunJson_RecordsStartupPipelineAndProductsTimings()
    {
        await ScoreAsync();

        var manifest = UrbanScore.Storage.RunManifest.Read(Path.Combine(_out, "run.json"))!;
        var timings = manifest.Timings!;
        Assert.True(timings.StartupSeconds > 0, "the first request comes after the process started");
        Assert.True(timings.PipelineSeconds > 0);
        Assert.True(timings.ProductsSeconds > 0);
        Assert.True(timings.PipelineSeconds + timings.ProductsSeconds <= manifest.WallSeconds + 0.01, "both stages are parts of the job's wall time");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "run.json"), TestContext.Current.CancellationToken));
        var names = json.RootElement.GetProperty("timings").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["startupSeconds", "pipelineSeconds", "productsSeconds"], names);
    }

    [Fact]
    public async Task Render_OtherColormap_RecoloursEveryLevelAndTheGeoTiff()
    {
        await ScoreAsync();
        var tile = $"heatmap/12/{s_range.MinCol + 1}/{s_range.MinRow}.png";
        var before = ProductRun.Hashes(_out);

        var (exit, _, stderr) = await CliRun.RunAsync("render", "--out", _out, "--colormap", "magma", "--threshold", "0.1");
        var magma = ProductRun.Hashes(_out);
        var (again, _, _) = await CliRun.RunAsync("render", "--out", _out);

        Assert.True(exit == 0, stderr);
        Assert.Equal(0, again);
        Assert.NotEqual(before[tile], magma[tile]);
        Assert.NotEqual(before["heatmap/6/36/18.png"], magma["heatmap/6/36/18.png"]);
        Assert.NotEqual(before["heatmap.tif"], magma["heatmap.tif"]);
        Assert.NotEqual(before["heatmap.mbtiles"], magma["heatmap.mbtiles"]);
        Assert.Equal(before["scores.tif"], magma["scores.tif"]);
        Assert.Equal(magma, ProductRun.Hashes(_out)); // the override was saved: a plain render keeps magma
    }

    [Fact]
    public async Task Render_BadOptions_ExitTwoWithOneSentence()
    {
        await ScoreAsync();

        var (badZoom, _, zoomError) = await CliRun.RunAsync("render", "--out", _out, "--min-zoom", "13");
        var (badMap, _, mapError) = await CliRun.RunAsync("render", "--out", _out, "--colormap", "jet");
        var (noStore, _, storeError) = await CliRun.RunAsync("render", "--out", _out + "-missing");

        Assert.Equal(2, badZoom);
        Assert.Contains("--min-zoom: Minimum zoom 13 is outside 0..12", zoomError, StringComparison.Ordinal);
        Assert.Equal(2, badMap);
        Assert.Contains("Unknown colour map 'jet'", mapError, StringComparison.Ordinal);
        Assert.Equal(2, noStore);
        Assert.Contains("There is no scores.sqlite", storeError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MbTiles_AfterScore_TmsRowsHoldThePngTilesAndMetadataIsComplete()
    {
        await ScoreAsync();
        var pngs = Directory.EnumerateFiles(Path.Combine(_out, "heatmap"), "*.png", SearchOption.AllDirectories).ToList();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_out, "heatmap.mbtiles"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var meta = connection.CreateCommand();
        meta.CommandText = "SELECT name, value FROM metadata";
        var metadata = new Dictionary<string, string>();
        using (var reader = meta.ExecuteReader())
        {
            while (reader.Read())
            {
                metadata[reader.GetString(0)] = reader.GetString(1);
            }
        }

        using var tiles = connection.CreateCommand();
        tiles.CommandText = "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles";
        var count = 0;
        using (var reader = tiles.ExecuteReader())
        {
            while (reader.Read())
            {
                var z = reader.GetInt32(0);
                var x = reader.GetInt32(1);
                var y = (1 << z) - 1 - reader.GetInt32(2); // TMS → XYZ
                var file = Path.Combine(_out, "heatmap", $"{z}", $"{x}", $"{y}.png");
                Assert.True(File.Exists(file), $"tile {z}/{x}/{y} of the MBTiles has no PNG");
                Assert.Equal(File.ReadAllBytes(file), (byte[])reader.GetValue(3));
                count++;
            }
        }

        Assert.Equal(pngs.Count, count);
        Assert.Equal("png", metadata["format"]);
        Assert.Equal("overlay", metadata["type"]);
        Assert.Equal("6", metadata["minzoom"]);
        Assert.Equal("12", metadata["maxzoom"]);
        Assert.Contains("UrbanScore", metadata["name"], StringComparison.Ordinal);
        Assert.Contains("UrbanScore heatmap", metadata["attribution"], StringComparison.Ordinal);
        var bounds = metadata["bounds"].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(bounds[0], 24.78, ProductRun.Area.MinX);
        Assert.InRange(bounds[3], ProductRun.Area.MaxY, 60.3);
        Assert.Equal(3, metadata["center"].Split(',').Length);
    }

    [Fact]
    public async Task MbTiles_GdalMbTilesDriver_OpensItInWebMercator()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        await ScoreAsync();

        var (exit, stdout, stderr) = ExternalTool.Run(gdalinfo, ["-json", Path.Combine(_out, "heatmap.mbtiles")]);

        Assert.True(exit == 0, stderr);
        using var info = JsonDocument.Parse(stdout);
        var root = info.RootElement;
        Assert.Equal("MBTiles", root.GetProperty("driverShortName").GetString());
        Assert.Equal(4, root.GetProperty("bands").GetArrayLength());
        Assert.Contains("3857", root.GetProperty("coordinateSystem").GetProperty("wkt").GetString(), StringComparison.Ordinal);
        var metadata = root.GetProperty("metadata").GetProperty("");
        Assert.Equal("overlay", metadata.GetProperty("type").GetString());

        // GDAL opens the max zoom: 256 px per z12 tile; the raster covers at least the scored tiles' bounds.
        var bounds = WebMercator.TileBounds(new TileIndex(Zoom: 12, Col: s_range.MinCol, Row: s_range.MinRow));
        var origin = root.GetProperty("geoTransform");
        Assert.Equal(WebMercator.Resolution(12), origin[1].GetDouble(), 6);
        Assert.True(origin[0].GetDouble() <= bounds.MinX + 1e-3);
        Assert.True(origin[3].GetDouble() >= bounds.MaxY - 1e-3);
    }

    [Fact]
    public async Task TileJson_AfterScore_DescribesTheXyzLayer()
    {
        await ScoreAsync();

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "tilejson.json")));
        var root = json.RootElement;

        Assert.Equal("3.0.0", root.GetProperty("tilejson").GetString());
        Assert.Equal("heatmap/{z}/{x}/{y}.png", root.GetProperty("tiles")[0].GetString());
        Assert.Equal("xyz", root.GetProperty("scheme").GetString());
        Assert.Equal(6, root.GetProperty("minzoom").GetInt32());
        Assert.Equal(12, root.GetProperty("maxzoom").GetInt32());
        var bounds = root.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        Assert.True(bounds[0] < ProductRun.Area.MinX && bounds[2] > ProductRun.Area.MaxX && bounds[1] < ProductRun.Area.MinY && bounds[3] > ProductRun.Area.MaxY);
        Assert.Equal(3, root.GetProperty("center").GetArrayLength());
    }

    [Fact]
    public async Task BaseUrl_GivenToScoreCommandOptions_MakesDocumentUrlsAbsolute()
    {
        await ScoreAsync();

        var (exit, _, stderr) = await CliRun.RunAsync("render", "--out", _out, "--base-url", "https://maps.example.org/run1");
        var (bad, _, badError) = await CliRun.RunAsync("render", "--out", _out, "--base-url", "ftp://x/");

        Assert.True(exit == 0, stderr);
        Assert.Contains("\"https://maps.example.org/run1/heatmap/{z}/{x}/{y}.png\"", File.ReadAllText(Path.Combine(_out, "tilejson.json")), StringComparison.Ordinal);
        Assert.Contains("template=\"https://maps.example.org/run1/heatmap/{TileMatrix}/{TileCol}/{TileRow}.png\"", File.ReadAllText(Path.Combine(_out, "heatmap-wmts.xml")), StringComparison.Ordinal);
        Assert.Equal(2, bad);
        Assert.Contains("--base-url", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WmtsDocument_ServedFolder_OurWmtsClientFetchesTheHeatmapTiles()
    {
        await ScoreAsync();
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var capabilities = await WmtsCapabilitiesParser.LoadAsync(server.BaseUri + "heatmap-wmts.xml", http, TestContext.Current.CancellationToken);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = HeatmapLayerDocuments.LayerIdentifier, Zoom = 12 });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new WmtsTileSource(selection, fetcher);
        var tile = new TileIndex(Zoom: 12, Col: s_range.MinCol + 2, Row: s_range.MinRow + 1);
        var bytes = await http.GetByteArrayAsync(source.TileUri(tile), TestContext.Current.CancellationToken);

        Assert.True(selection.MatrixSet.IsWebMercatorQuad);
        Assert.Equal("image/png", selection.Format);
        Assert.Equal(WmtsEncoding.Rest, selection.Encoding);
        Assert.Equal(new TileRange(Zoom: 12, MinCol: s_range.MinCol, MinRow: s_range.MinRow, MaxCol: s_range.MaxCol, MaxRow: s_range.MaxRow), selection.Available(12));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_out, "heatmap", "12", $"{tile.Col}", $"{tile.Row}.png")), bytes);
    }

    [Fact]
    public async Task WmtsDocument_GdalWmtsDriver_OpensTheServedLayer()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        await ScoreAsync();
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await Task.Run(() => ExternalTool.Run(gdalinfo, ["-json", "--config", "GDAL_HTTP_TIMEOUT", "20", "WMTS:" + server.BaseUri + "heatmap-wmts.xml"]), TestContext.Current.CancellationToken);

        Assert.True(exit == 0, stderr);
        using var info = JsonDocument.Parse(stdout);
        var root = info.RootElement;
        Assert.Equal("WMTS", root.GetProperty("driverShortName").GetString());
        Assert.Equal(4, root.GetProperty("bands").GetArrayLength());
        Assert.Equal(WebMercator.Resolution(12), root.GetProperty("geoTransform")[1].GetDouble(), 6);
        Assert.Contains(server.Log, entry => entry.Path == "/heatmap-wmts.xml" && entry.Status == 200);
    }
}
