using System.Globalization;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using UrbanScore.Tools.DemoWorld;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Integrations;

/// <summary>
/// The QGIS plugin (integrations/qgis/urbanscore) in Debian's real, headless QGIS, running the built CLI against the
/// demo world served on 127.0.0.1. Skipped with a message when QGIS is not installed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class QgisPluginTests : IDisposable
{
    /// <summary>Half the Web Mercator world's width in metres (EPSG:3857).</summary>
    private const double HalfWorld = 20037508.342789244;

    /// <summary>Around Essen in the demo world's Rhine–Ruhr region, in EPSG:3857: 11 × 7 tiles at zoom 14.</summary>
    private const string Extent = "768000,791000,6690000,6705000 [EPSG:3857]";

    private static readonly string s_model = Path.Combine(SharedFixtures.RepoRoot, "models", "urbanscore-demo.onnx");
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-qgis-run-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Provider_LoadedAsQgisLoadsPlugins_HasIdUrbanscoreAndTheDocumentedParameters()
    {
        using var qgis = QgisHarness.Create();

        var result = qgis.Run("provider", new { });

        Assert.Equal("urbanscore", result.GetProperty("provider").GetString());
        Assert.Equal("UrbanScore executable", result.GetProperty("setting").GetString());
        var algorithms = result.GetProperty("algorithms");
        Assert.Equal(["urbanscore:plan", "urbanscore:score", "urbanscore:stats"], algorithms.EnumerateObject().Select(a => a.Name).Order(StringComparer.Ordinal));
        AssertNames(algorithms, "urbanscore:score", "parameters", "SOURCE", "LAYER", "EXTENT", "ZOOM", "MODEL", "POSITIVE_LABEL", "OUTPUT_FOLDER");
        AssertNames(algorithms, "urbanscore:score", "outputs", "HEATMAP", "SCORES", "OUTPUT_FOLDER");
        AssertNames(algorithms, "urbanscore:plan", "parameters", "EXTENT", "ZOOM");
        AssertNames(algorithms, "urbanscore:plan", "outputs", "TILES", "KM2", "ESTIMATE_SECONDS");
        AssertNames(algorithms, "urbanscore:stats", "parameters", "RUN_FOLDER", "REGIONS", "THRESHOLD");
        Assert.True(algorithms.GetProperty("urbanscore:score").GetProperty("canCancel").GetBoolean());
    }

    [Fact]
    public void PluginZip_BuiltByTheScript_InstallsAndLoadsWithTheProductVersion()
    {
        using var qgis = QgisHarness.Create();
        var artifacts = Path.Combine(qgis.Folder, "artifacts");

        var (code, stdout, stderr) = qgis.Start(qgis.Python, [Path.Combine(QgisHarness.PluginRoot, "build_zip.py"), "--out", artifacts]);

        Assert.True(code == 0, stderr);
        var zip = stdout.Trim();
        var version = System.Xml.Linq.XDocument.Load(Path.Combine(SharedFixtures.RepoRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Assert.Equal(Path.Combine(artifacts, $"urbanscore-qgis-{version}.zip"), zip);
        using (var archive = ZipFile.OpenRead(zip))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.All(names, n => Assert.StartsWith("urbanscore/", n, StringComparison.Ordinal));
            Assert.Contains("urbanscore/metadata.txt", names);
            Assert.Contains("urbanscore/__init__.py", names);
            Assert.Contains("urbanscore/LICENSE", names);
            Assert.DoesNotContain(names, n => n.Contains("__pycache__", StringComparison.Ordinal) || n.Contains("/tests/", StringComparison.Ordinal));
        }

        var plugins = Path.Combine(qgis.Folder, "plugins");
        ZipFile.ExtractToDirectory(zip, plugins);
        var result = qgis.Run("provider", new { }, new Dictionary<string, string?> { ["URBANSCORE_QGIS_PLUGIN_ROOT"] = plugins });

        Assert.Equal("urbanscore", result.GetProperty("provider").GetString());
        Assert.Equal(Path.Combine(plugins, "urbanscore"), result.GetProperty("pluginFolder").GetString());
        Assert.Contains($"version={version}", File.ReadAllText(Path.Combine(plugins, "urbanscore", "metadata.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RunByQgisProcess_TilesAndKm2OfTheReprojectedExtent()
    {
        using var qgis = QgisHarness.Create();
        var qgisProcess = ExternalTool.Require("qgis_process.bin", "qgis");
        var environment = new Dictionary<string, string?> { ["QGIS_PLUGINPATH"] = QgisHarness.PluginRoot };
        var enable = qgis.Start(qgisProcess, ["plugins", "enable", "urbanscore"], environment);
        Assert.True(enable.ExitCode == 0, enable.StdErr);

        var (code, stdout, stderr) = qgis.Start(qgisProcess, ["--json", "run", "urbanscore:plan", "--", "EXTENT=" + Extent, "ZOOM=14"], environment);

        Assert.True(code == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout[stdout.IndexOf('{', StringComparison.Ordinal)..]);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(ExpectedTiles(768000, 791000, 6690000, 6705000, 14), results.GetProperty("TILES").GetInt32());
        // Ground area of the rectangle on the sphere, R² Δλ (sin φ1 − sin φ0); the ellipsoid differs by < 0.5 %.
        var expectedKm2 = 6378.137 * 6378.137 * ((791000 - 768000) / (HalfWorld / Math.PI)) * (Math.Sin(Latitude(6705000)) - Math.Sin(Latitude(6690000)));
        Assert.Equal(expectedKm2, results.GetProperty("KM2").GetDouble(), 0.01 * expectedKm2);
        Assert.True(results.GetProperty("ESTIMATE_SECONDS").GetDouble() > 0, stdout);
    }

    [Fact]
    public async Task Score_DemoWorldWmts_ValidStyledLayersProgressFromTheCli()
    {
        using var qgis = QgisHarness.Create();
        await using var world = await DemoWorldServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        var result = qgis.Run("run", new
        {
            algorithm = "urbanscore:score",
            parameters = ScoreParameters(world.CapabilitiesUri.AbsoluteUri, zoom: 14, layer: "demo"),
        });

        Assert.True(result.GetProperty("error").ValueKind == JsonValueKind.Null, result.ToString());
        var log = Log(result);
        Assert.Contains(log, l => l.Text == $"Using urbanscore {qgis.Cli} (from the environment variable URBANSCORE_CLI).");
        Assert.Contains(log, l => l.Kind == "command" && l.Text.Contains("--wmts", StringComparison.Ordinal) && l.Text.Contains("--layer demo", StringComparison.Ordinal));
        // The progress bar follows the CLI's own "done/total tiles" lines.
        var progressLine = log.Last(l => l.Kind == "console" && Regex.IsMatch(l.Text, @"\d+/\d+ tiles"));
        var parts = Regex.Match(progressLine.Text, @"(\d+)/(\d+) tiles");
        var expectedProgress = 100.0 * int.Parse(parts.Groups[1].Value, CultureInfo.InvariantCulture) / int.Parse(parts.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Contains(result.GetProperty("progress").EnumerateArray(), p => Math.Abs(p.GetDouble() - expectedProgress) < 1e-9);

        var rasters = result.GetProperty("rasters");
        var heatmap = rasters.GetProperty("HEATMAP");
        var scores = rasters.GetProperty("SCORES");
        Assert.True(heatmap.GetProperty("valid").GetBoolean());
        Assert.True(scores.GetProperty("valid").GetBoolean());
        Assert.Equal(4, heatmap.GetProperty("bands").GetInt32());
        Assert.Equal(1, scores.GetProperty("bands").GetInt32());
        Assert.Equal("EPSG:3857", scores.GetProperty("crs").GetString());
        Assert.Equal(ExpectedTiles(768000, 791000, 6690000, 6705000, 14), scores.GetProperty("width").GetInt32() * scores.GetProperty("height").GetInt32());
        Assert.Equal(Path.Combine(_out, "heatmap.tif"), result.GetProperty("results").GetProperty("HEATMAP").GetString());

        // What the desktop adds to the map when the algorithm ends: the red overlay (RGBA) and scores on a 0–1 ramp.
        var layers = result.GetProperty("layersToLoad");
        Assert.Equal("multibandcolor", layers.GetProperty("heatmap.tif").GetProperty("renderer").GetString());
        Assert.Equal(4, layers.GetProperty("heatmap.tif").GetProperty("alphaBand").GetInt32());
        Assert.Equal("singlebandpseudocolor", layers.GetProperty("scores.tif").GetProperty("renderer").GetString());
        Assert.Equal(0.0, layers.GetProperty("scores.tif").GetProperty("min").GetDouble());
        Assert.Equal(1.0, layers.GetProperty("scores.tif").GetProperty("max").GetDouble());

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        var tiles = manifest.RootElement.GetProperty("tiles");
        Assert.Equal(tiles.GetProperty("planned").GetInt32(), tiles.GetProperty("scored").GetInt32() + tiles.GetProperty("empty").GetInt32());
    }

    [Fact]
    public void Score_ModelPathThatDoesNotExist_FailsWithTheClisOneSentence()
    {
        using var qgis = QgisHarness.Create();
        var parameters = ScoreParameters("http://127.0.0.1:9/{z}/{x}/{y}.jpg", zoom: 14);
        parameters["MODEL"] = "/nonexistent/model.onnx";

        var result = qgis.Run("run", new { algorithm = "urbanscore:score", parameters });

        var error = result.GetProperty("error").GetString();
        var printed = Log(result).Single(l => l.Kind == "console" && l.Text.Contains("/nonexistent/model.onnx", StringComparison.Ordinal)).Text;
        Assert.Equal(printed.Replace("error: ", string.Empty, StringComparison.Ordinal), error);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact]
    public async Task Score_CancelledThenRunAgain_StopsTheCliProcessAndResumes()
    {
        using var qgis = QgisHarness.Create();
        await using var world = await DemoWorldServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        // 21 × 17 tiles at zoom 16, at most 60 requests/s: several seconds of work, so the cancel lands mid-run. The
        // source is an XYZ layer's source as QGIS shows it in the layer's properties (the template URL-encoded).
        var layerSource = "type=xyz&url=" + Uri.EscapeDataString(world.XyzTemplate) + "&zmax=19&zmin=0";
        var parameters = ScoreParameters(layerSource, zoom: 16, extent: "768000,780000,6690000,6700000 [EPSG:3857]");
        parameters["MAX_RPS"] = 60;

        var cancelled = qgis.Run("cancel", new { parameters, cancelAfterTiles = 20 });

        Assert.True(cancelled.GetProperty("cancelled").GetBoolean());
        Assert.True(cancelled.GetProperty("pid").GetInt32() > 0);
        Assert.False(cancelled.GetProperty("processAlive").GetBoolean());
        var log = Log(cancelled);
        Assert.Contains(log, l => l.Kind == "command" && l.Text.Contains($"--xyz '{world.XyzTemplate}'", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Text.Contains("killing it", StringComparison.Ordinal)); // stopped by the signal, not killed
        Assert.Contains(log, l => l.Kind == "warning" && l.Text.Contains("to resume", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_out, "heatmap.tif")), "the cancelled run went on to write its products");

        var resumed = qgis.Run("run", new { algorithm = "urbanscore:score", parameters });

        Assert.True(resumed.GetProperty("error").ValueKind == JsonValueKind.Null, resumed.ToString());
        Assert.True(resumed.GetProperty("rasters").GetProperty("HEATMAP").GetProperty("valid").GetBoolean());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        var tiles = manifest.RootElement.GetProperty("tiles");
        var skipped = tiles.GetProperty("skipped").GetInt32();
        Assert.True(skipped >= 20, $"{skipped} tiles were kept from the cancelled run");
        Assert.Equal(21 * 17, tiles.GetProperty("planned").GetInt32());
        Assert.Equal(21 * 17, tiles.GetProperty("scored").GetInt32() + tiles.GetProperty("empty").GetInt32());
        Assert.Contains(Log(resumed), l => l.Text == $"Resumed: {skipped} tiles were already done in this folder.");
    }

    [Fact]
    public void Cli_SettingEnvironmentPathAndNone_SaysWhichWasUsedOrHowToInstall()
    {
        using var qgis = QgisHarness.Create();
        var plan = new { algorithm = "urbanscore:plan", parameters = new { EXTENT = Extent, ZOOM = 12 } };
        var bin = Directory.CreateDirectory(Path.Combine(qgis.Folder, "bin")).FullName;
        File.Copy(qgis.Cli, Path.Combine(bin, "urbanscore"));
        File.SetUnixFileMode(Path.Combine(bin, "urbanscore"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var noCli = new Dictionary<string, string?> { ["URBANSCORE_CLI"] = null, ["PATH"] = "/usr/bin:/bin" };

        var fromSetting = qgis.Run("run", new { plan.algorithm, plan.parameters, setting = qgis.Cli }, new Dictionary<string, string?> { ["URBANSCORE_CLI"] = "/nonexistent/urbanscore" });
        var fromPath = qgis.Run("run", plan, new Dictionary<string, string?> { ["URBANSCORE_CLI"] = null, ["PATH"] = bin + ":/usr/bin:/bin" });
        var none = qgis.Run("run", plan, noCli);

        Assert.Contains(Log(fromSetting), l => l.Text == $"Using urbanscore {qgis.Cli} (from the Processing setting 'UrbanScore executable').");
        Assert.True(fromSetting.GetProperty("results").GetProperty("TILES").GetInt32() > 0);
        Assert.Contains(Log(fromPath), l => l.Text == $"Using urbanscore {Path.Combine(bin, "urbanscore")} (from PATH).");
        var error = none.GetProperty("error").GetString();
        Assert.Contains("not found", error, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install --global UrbanScore.Tool", error, StringComparison.Ordinal);
        Assert.Contains("UrbanScore executable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_RunAndTwoRegions_TableEqualsTheClisStats()
    {
        using var qgis = QgisHarness.Create();
        // An unknown command's --help prints the root help (exit 0); the stats command's own help shows its usage.
        var (_, help, _) = await CliRun.RunAsync("stats", "--help");
        if (!Regex.IsMatch(help, @"Usage:\s*\n\s*\S+ stats\b"))
        {
            Assert.Skip("this CLI has no stats command yet; the QGIS stats algorithm is tested once it has.");
        }

        await using var world = await DemoWorldServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var score = qgis.Run("run", new { algorithm = "urbanscore:score", parameters = ScoreParameters(world.XyzTemplate, zoom: 14) });
        Assert.True(score.GetProperty("error").ValueKind == JsonValueKind.Null, score.ToString());
        // Two regions splitting the scored extent at 7.0°E (a GeoJSON file is a vector layer to QGIS).
        var regions = Path.Combine(qgis.Folder, "regions.geojson");
        File.WriteAllText(regions, """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"label":"west"},"geometry":{"type":"Polygon","coordinates":[[[6.8,51.2],[7.0,51.2],[7.0,51.6],[6.8,51.6],[6.8,51.2]]]}},
             {"type":"Feature","properties":{"label":"east"},"geometry":{"type":"Polygon","coordinates":[[[7.0,51.2],[7.2,51.2],[7.2,51.6],[7.0,51.6],[7.0,51.2]]]}}]}
            """);

        var result = qgis.Run("run", new
        {
            algorithm = "urbanscore:stats",
            parameters = new Dictionary<string, object> { ["RUN_FOLDER"] = _out, ["REGIONS"] = regions, ["NAME_FIELD"] = "label", ["THRESHOLD"] = 0.5, ["OUTPUT"] = "TEMPORARY_OUTPUT" },
        });

        Assert.True(result.GetProperty("error").ValueKind == JsonValueKind.Null, result.ToString());
        var rows = result.GetProperty("tables").GetProperty("OUTPUT").GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        var (code, stdout, stderr) = await CliRun.RunAsync("stats", _out, "--by", regions, "--name-field", "label", "--threshold", "0.5", "--json");
        Assert.True(code == 0, stderr);
        using var expected = JsonDocument.Parse(stdout);
        var expectedRows = expected.RootElement.GetProperty("regions").EnumerateArray().Append(expected.RootElement.GetProperty("total")).ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in expectedRows)
        {
            var name = row.TryGetProperty("name", out var n) ? n.GetString()! : "(total)";
            var actual = rows[name];
            Assert.Equal(row.GetProperty("tiles").GetInt64(), actual.GetProperty("tiles").GetInt64());
            Assert.Equal(row.GetProperty("urbanTiles").GetInt64(), actual.GetProperty("urban_tiles").GetInt64());
            Assert.Equal(row.GetProperty("urbanKm2").GetDouble(), actual.GetProperty("urban_km2").GetDouble(), 1e-9);
            Assert.Equal(row.GetProperty("meanScore").GetDouble(), actual.GetProperty("mean_score").GetDouble(), 1e-9);
        }

        Assert.True(rows["(total)"].GetProperty("tiles").GetInt64() > 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private Dictionary<string, object> ScoreParameters(string source, int zoom, string? layer = null, string extent = Extent)
    {
        var parameters = new Dictionary<string, object>
        {
            ["SOURCE"] = source,
            ["EXTENT"] = extent,
            ["ZOOM"] = zoom,
            ["MODEL"] = s_model,
            ["OUTPUT_FOLDER"] = _out,
        };
        if (layer is not null)
        {
            parameters["LAYER"] = layer;
        }

        return parameters;
    }

    private static List<(string Kind, string Text)> Log(JsonElement result) =>
        result.GetProperty("log").EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetString()!)).ToList();

    private static void AssertNames(JsonElement algorithms, string id, string kind, params string[] expected)
    {
        var actual = algorithms.GetProperty(id).GetProperty(kind).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.All(expected, name => Assert.Contains(name, actual));
    }

    /// <summary>Tiles of a Web Mercator rectangle at a zoom, from the tile grid's arithmetic alone.</summary>
    private static int ExpectedTiles(double minX, double maxX, double minY, double maxY, int zoom)
    {
        var size = 2 * HalfWorld / (1 << zoom);
        var cols = Math.Floor((maxX + HalfWorld) / size) - Math.Floor((minX + HalfWorld) / size) + 1;
        var rows = Math.Floor((HalfWorld - minY) / size) - Math.Floor((HalfWorld - maxY) / size) + 1;
        return (int)(cols * rows);
    }

    private static double Latitude(double y) => (2 * Math.Atan(Math.Exp(y / (HalfWorld / Math.PI)))) - (Math.PI / 2);
}
