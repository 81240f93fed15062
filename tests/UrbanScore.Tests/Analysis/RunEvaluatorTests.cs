using System.Globalization;
using System.Text.Json;
using SkiaSharp;
using UrbanScore.Analysis;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Analysis;

public sealed class RunEvaluatorTests : IDisposable
{
    // z10 cols 512..515, rows 300..301 (NaN = empty, negative = failed); labels city, not_city, positive city.
    private static readonly float[,] s_scores =
    {
        { 0.9f, 0.8f, 0.3f, float.NaN },
        { 0.6f, 0.2f, 0.55f, -1f },
    };

    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    [Fact]
    public async Task Evaluate_CsvTruth_LabelsMappedIgnoredAndUnscoredCounted()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);
        var truth = Path.Combine(_out, "truth.csv");
        await File.WriteAllTextAsync(truth, string.Join('\n',
            "id,z,x,y,label,note",
            "1,10,512,300,city,\"a, quoted note\"",
            "2,10,513,300,not_city,",
            "3,10,514,300,city,",
            "4,10,512,301,CITY,",          // labels match case-insensitively
            "5,10,513,301,not_city,",
            "6,10,514,301,not_city,",
            "7,10,512,300,not_city,repeat", // a second row for a tile: ignored
            "8,10,515,300,city,empty",      // empty in the run: unscored
            "9,10,515,301,city,failed",     // failed in the run: unscored
            "10,10,600,300,city,outside",   // outside the run: unscored
            "11,10,513,300,water,",         // not a model label: ignored
            ""), TestContext.Current.CancellationToken);

        var report = RunEvaluator.Evaluate(_out, ReferenceSet.Open(truth), 0.5, TestContext.Current.CancellationToken);

        // Evaluated: (0.9 city) (0.8 not) (0.3 city) (0.6 city) (0.2 not) (0.55 not). At >= 0.5: TP 0.9 0.6,
        // FP 0.8 0.55, FN 0.3, TN 0.2. AUC: city {0.9, 0.3, 0.6} vs not {0.8, 0.2, 0.55}: 3 + 1 + 2 = 6 of 9.
        Assert.Equal(new ConfusionMatrix(TruePositives: 2, FalsePositives: 2, FalseNegatives: 1, TrueNegatives: 1), report.ConfusionMatrix);
        Assert.Equal((6L, 3L, 3L), (report.Tiles, report.Positives, report.Negatives));
        Assert.Equal(2, report.Ignored);
        Assert.Equal(3, report.Unscored);
        Assert.Equal(6.0 / 9, report.RocAuc, 12);
        Assert.Equal("city", report.PositiveLabel);
    }

    [Fact]
    public void Evaluate_GeoJsonTruth_TileShareDecides()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);

        // A box over the whole tile 512/300, three quarters of 513/300 (west part) and a quarter of 512/301.
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 512, Row: 300));
        var east = Lerp(WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 513, Row: 300)).Lon, WebMercator.TileNorthWest(new TileIndex(Zoom: 10, Col: 514, Row: 300)).Lon, 0.75);
        var row301 = new TileIndex(Zoom: 10, Col: 512, Row: 301);
        var south = LatAt(row301, 0.25);
        var truth = Path.Combine(_out, "urban.geojson");
        File.WriteAllText(truth, string.Create(CultureInfo.InvariantCulture,
            $"{{\"type\":\"Polygon\",\"coordinates\":[[[{nw.Lon},{nw.Lat}],[{nw.Lon},{south}],[{east},{south}],[{east},{nw.Lat}],[{nw.Lon},{nw.Lat}]]]}}"));

        var half = RunEvaluator.Evaluate(_out, ReferenceSet.Open(truth), 0.5, TestContext.Current.CancellationToken);
        var any = RunEvaluator.Evaluate(_out, ReferenceSet.Open(truth, minShare: 0), 0.5, TestContext.Current.CancellationToken);

        // Every scored tile is evaluated (6). At half a tile: 512/300 and 513/300 positive; with any overlap also
        // 512/301 and 513/301 (a quarter each).
        Assert.Equal((6L, 2L), (half.Tiles, half.Positives));
        Assert.Equal(new ConfusionMatrix(TruePositives: 2, FalsePositives: 2, FalseNegatives: 0, TrueNegatives: 2), half.ConfusionMatrix);
        Assert.Equal((6L, 4L), (any.Tiles, any.Positives));
        Assert.Equal(0, half.Unscored);
    }

    [Fact]
    public async Task EvaluateCommand_JsonAndPlot_TopLevelKeysAndPicture()
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);
        var truth = Path.Combine(_out, "truth.csv");
        await File.WriteAllTextAsync(truth, "z,x,y,label\n10,512,300,city\n10,513,300,not_city\n10,514,300,city\n10,512,301,city\n10,513,301,not_city\n10,514,301,not_city\n", TestContext.Current.CancellationToken);
        var plot = Path.Combine(_out, "roc.png");

        var (exit, stdout, stderr) = await CliRun.RunAsync("evaluate", _out, "--truth", truth, "--threshold", "0.5", "--json", "--plot", plot);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var key in new[] { "tiles", "positives", "negatives", "ignored", "accuracy", "precision", "recall", "f1", "rocAuc", "confusionMatrix" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.Equal(6, root.GetProperty("tiles").GetInt32());
        Assert.Equal(3.0 / 6, root.GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(2, root.GetProperty("confusionMatrix").GetProperty("truePositives").GetInt32());
        Assert.Equal(Math.Round(6.0 / 9, 6), root.GetProperty("rocAuc").GetDouble());

        using var bitmap = SKBitmap.Decode(plot);
        Assert.Equal((EvaluationPlot.Width, EvaluationPlot.Height), (bitmap.Width, bitmap.Height));

        // The ROC curve's blue and the calibration curve's orange are both drawn.
        var colours = Enumerable.Range(0, bitmap.Width * bitmap.Height).Select(i => bitmap.GetPixel(i % bitmap.Width, i / bitmap.Width)).ToHashSet();
        Assert.Contains(new SKColor(31, 119, 180), colours);
        Assert.Contains(new SKColor(255, 127, 14), colours);

        var (textExit, text, _) = await CliRun.RunAsync("evaluate", _out, "--truth", truth);
        Assert.Equal(0, textExit);
        Assert.Contains("accuracy  50.00 %", text, StringComparison.Ordinal);
        Assert.Contains("ROC-AUC 0.6667", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.csv", "does not exist")]
    [InlineData("noheader.csv", "no z, x, y and label columns")]
    [InlineData("badrow.csv", "line 2")]
    public async Task EvaluateCommand_BadTruth_ExitTwoOneSentence(string file, string expected)
    {
        ProductRun.HandStore(_out, 512, 300, s_scores, minZoom: null);
        await File.WriteAllTextAsync(Path.Combine(_out, "noheader.csv"), "10,512,300,city\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_out, "badrow.csv"), "z,x,y,label\nten,512,300,city\n", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await CliRun.RunAsync("evaluate", _out, "--truth", Path.Combine(_out, file));

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);

    /// <summary>Latitude at a fraction of a tile's height from its north edge, in mercator (where the tile is square).</summary>
    private static double LatAt(TileIndex tile, double fraction)
    {
        var n = Math.Pow(2, tile.Zoom);
        return Math.Atan(Math.Sinh(Math.PI * (1.0 - (2.0 * (tile.Row + fraction) / n)))) * 180.0 / Math.PI;
    }
}
