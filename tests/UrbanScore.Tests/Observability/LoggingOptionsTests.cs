using System.Globalization;
using System.Text.Json;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Observability;

public sealed class LoggingOptionsTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-logs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Score_JsonLogFileAtDebug_WritesFailedTilesAndTheSummaryAsJsonLines()
    {
        var image = TestImages.Flat(20, 200, 20);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            // Column 2001 is forbidden (a non-retryable failure); the rest are images.
            if (context.Request.Path.Value!.Contains("/2001/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 403;
                return;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(image);
        });
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2000, Row: 1300));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2003, Row: 1302));
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{nw.Lon + 1e-7},{se.Lat + 1e-7},{se.Lon - 1e-7},{nw.Lat - 1e-7}");
        var logFile = Path.Combine(_out, "logs", "run.log");

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.png", "--zoom", "12", "--bbox", bbox, "--out", _out,
            "--model", InferenceTestData.Model("colour-fixed1"), "--positive-label", "green",
            "--log-format", "json", "--log-file", logFile, "-v", "debug");

        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        var lines = File.ReadAllLines(logFile);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var failures = events.Where(e => e.GetProperty("level").GetString() == "Debug").ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal("HTTP 403 Forbidden", f.GetProperty("Reason").GetString()));
        Assert.All(failures, f => Assert.Equal(2001, f.GetProperty("Col").GetInt32()));
        var summary = Assert.Single(events, e => e.GetProperty("event").GetString() == "LogFinished");
        Assert.Equal("Information", summary.GetProperty("level").GetString());
        Assert.Equal(6, summary.GetProperty("Done").GetInt64());
        Assert.Equal(2, summary.GetProperty("Failed").GetInt64());

        // The console (stderr) carries the same events in the chosen format.
        Assert.Contains("\"event\":\"LogFinished\"", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--log-format", "xml", "--log-format 'xml' is not text or json.")]
    [InlineData("--verbosity", "loud", "--verbosity 'loud' is not trace, debug, information, warning, error or none.")]
    [InlineData("--otlp-endpoint", "collector:4317", "--otlp-endpoint 'collector:4317' is not an http(s) URL")]
    [InlineData("--metrics-port", "70000", "--metrics-port 70000 is outside 1..65535")]
    public async Task Score_BadObservabilityOption_ExitsWithBadInputNamingTheOption(string option, string value, string message)
    {
        var (code, _, stderr) = await CliRun.RunAsync(
            "score", "--xyz", "http://127.0.0.1:1/{z}/{x}/{y}.png", "--zoom", "3", "--bbox", "0,0,1,1", "--out", _out,
            "--model", InferenceTestData.Model("colour-fixed1"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
