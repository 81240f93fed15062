using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using SkiaSharp;
using UrbanScore.Rendering;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Tools.Hosting;
using UrbanScore.Wmts;

namespace UrbanScore.Tests.Viewer;

/// <summary>
/// The viewer in the system Chromium, driven by PuppeteerSharp: for a finished demo, a RESTful WMTS run and a KVP WMTS
/// run, served by <see cref="RunFolderServer"/>, the page has no console error and no failed request, the screenshot
/// shows imagery pixels and heatmap pixels, the opacity slider changes the overlay, and no tile request leaves the run's
/// tiles. <see cref="Checker_BrokenPage_ReportsConsoleErrorsAndFailedRequests"/> shows the checker sees what goes wrong.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed partial class ViewerBrowserTests : IDisposable
{
    private const string Ready = "document.body.dataset.heatmapReady === 'true' && !!document.body.dataset.imageryReady";

    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    private static bool Background(SKColor c) => Math.Abs(c.Red - 221) <= 3 && Math.Abs(c.Green - 221) <= 3 && Math.Abs(c.Blue - 221) <= 3;

    // ImageryWmtsServer's tiles: blue 200 over green 90; under a P = 0.94 red overlay at 80 % the pixel turns red.
    private static bool BlueImagery(SKColor c) => c.Blue > 150 && c.Green is > 60 and < 120;

    private static bool RedOverlay(SKColor c) => c.Red > 180 && c.Green < 70 && c.Blue < 110;

    [Fact]
    public async Task Viewer_FinishedDemoServed_ShowsDemoWorldImageryAndHeatmapWithoutErrors()
    {
        // Around central Essen: 8 × 8 z14 tiles of the demo world, scored by the default model through the real demo command.
        var (exit, stdout, stderr) = await CliRun.RunAsync("demo", "--area", "6.98,51.43,7.06,51.48", "--max-tiles", "64", "--out", _out);
        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        await using var browser = await BrowserCheck.StartAsync();

        var (shot0, shot80, _) = await CheckViewerAsync(browser, server.BaseUri);

        using (shot0)
        using (shot80)
        {
            Assert.True(BrowserCheck.CountMapPixels(shot0, c => !Background(c)) > BrowserCheck.SampledMapPixels / 4, "too few demo-world imagery pixels with the overlay at 0 %");
            Assert.True(BrowserCheck.CountChanged(shot0, shot80) > BrowserCheck.SampledMapPixels / 20, "the heatmap at 80 % hardly changes the map");
        }

        var extent = Extent(_out);
        AssertInside(extent, server.Log.Select(e => e.Path), HeatmapTileWriter.FolderName);
        AssertInside(extent, server.Log.Select(e => e.Path), ViewerWriter.DemoWorldFolder);
        Assert.Contains(server.Log, e => e.Path.StartsWith("/demo-world/", StringComparison.Ordinal));
        foreach (var product in new[] { "run.json", "tilejson.json", "heatmap-wmts.xml", "index.html" })
        {
            Assert.DoesNotContain("127.0.0.1", File.ReadAllText(Path.Combine(_out, product)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Viewer_RestWmtsRunWithStyleSetAndTimePlaceholders_ShowsImageryAndHeatmap()
    {
        await using var imagery = await ImageryWmtsServer.StartAsync();
        await ScoreWmtsAsync(imagery, WmtsEncoding.Rest);
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        await using var browser = await BrowserCheck.StartAsync();

        await CheckColouredRunAsync(browser, server, imagery);

        Assert.Contains(imagery.Log, e => e.PathAndQuery.StartsWith("/rest/ortho/natural/GoogleMapsCompatible/2020/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Viewer_KvpWmtsRun_ShowsImageryThroughGetTileAndHeatmap()
    {
        await using var imagery = await ImageryWmtsServer.StartAsync();
        await ScoreWmtsAsync(imagery, WmtsEncoding.Kvp);
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        await using var browser = await BrowserCheck.StartAsync();

        await CheckColouredRunAsync(browser, server, imagery);

        Assert.Contains(imagery.Log, e => e.PathAndQuery.StartsWith("/kvp?", StringComparison.Ordinal) && e.PathAndQuery.Contains("REQUEST=GetTile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Viewer_OpenedAsFile_ShowsHeatmapAndSaysWhyTheDemoImageryIsMissing()
    {
        await using var imagery = await ImageryWmtsServer.StartAsync();
        using (var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 }))
        {
            // A demo-world run as far as the products go: the source describes itself as the demo world.
            var xyz = new XyzTileSource(imagery.BaseUri + "rest/ortho/natural/GoogleMapsCompatible/2020/{z}/{y}/{x}.png", fetcher);
            await ProductRun.ScoreAsync(new UrbanScore.Tools.DemoWorld.DemoWorldTileSource(xyz), _out);
        }

        await using var browser = await BrowserCheck.StartAsync();

        await browser.OpenAsync(new Uri(Path.Combine(_out, "index.html")), Ready);
        using var shot = await browser.ScreenshotAsync();

        Assert.True(browser.ConsoleErrors.IsEmpty && browser.FailedRequests.IsEmpty, browser.Problems());
        Assert.Equal("none", await browser.EvaluateAsync<string>("document.body.dataset.imageryReady"));
        Assert.Contains("opened as a file", await browser.EvaluateAsync<string>("document.getElementById('imagery-note').textContent"), StringComparison.Ordinal);
        Assert.True(BrowserCheck.CountMapPixels(shot, RedOverlay) > BrowserCheck.SampledMapPixels / 20, "no heatmap red in the page opened from disk");
    }

    [Fact]
    public async Task Checker_BrokenPage_ReportsConsoleErrorsAndFailedRequests()
    {
        await using var broken = await LoopbackServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/")
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("""
                    <!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>
                    <img src="/missing.png"><img src="http://127.0.0.1:1/refused.png">
                    <script>console.error('broken on purpose'); undefinedFunction();</script>
                    </body></html>
                    """);
                return;
            }

            context.Response.StatusCode = 404;
        });
        await using var browser = await BrowserCheck.StartAsync();

        await browser.OpenAsync(broken.BaseUri);

        Assert.Contains(browser.ConsoleErrors, e => e.Contains("broken on purpose", StringComparison.Ordinal));
        Assert.Contains(browser.ConsoleErrors, e => e.Contains("undefinedFunction", StringComparison.Ordinal));
        Assert.Contains(browser.FailedRequests, e => e.Contains("/missing.png (HTTP 404)", StringComparison.Ordinal));
        Assert.Contains(browser.FailedRequests, e => e.Contains("refused.png", StringComparison.Ordinal));
    }

    private async Task ScoreWmtsAsync(LoopbackServer imagery, WmtsEncoding encoding)
    {
        using var http = new HttpClient();
        var capabilities = await WmtsCapabilitiesParser.LoadAsync(imagery.BaseUri + "capabilities.xml", http, TestContext.Current.CancellationToken);
        var selection = WmtsSelection.Select(capabilities, new WmtsSelectionOptions { Layer = ImageryWmtsServer.Layer, Zoom = 12, Encoding = encoding });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var result = await ProductRun.ScoreAsync(new WmtsTileSource(selection, fetcher), _out);
        Assert.Equal(12, result.Counts.Scored);
    }

    private async Task CheckColouredRunAsync(BrowserCheck browser, RunFolderServer server, LoopbackServer imagery)
    {
        var (shot0, shot80, shot100) = await CheckViewerAsync(browser, server.BaseUri);
        using (shot0)
        using (shot80)
        using (shot100)
        {
            var sampled = BrowserCheck.SampledMapPixels;
            Assert.True(BrowserCheck.CountMapPixels(shot80, BlueImagery) > sampled / 20, "too few imagery pixels (blue) beside the heatmap");
            Assert.True(BrowserCheck.CountMapPixels(shot80, RedOverlay) > sampled / 20, "too few heatmap pixels (red) at 80 %");
            Assert.True(BrowserCheck.CountMapPixels(shot0, RedOverlay) < BrowserCheck.CountMapPixels(shot80, RedOverlay) / 10, "the slider at 0 % leaves the heatmap red");
            Assert.True(BrowserCheck.CountMapPixels(shot0, BlueImagery) > BrowserCheck.CountMapPixels(shot80, BlueImagery), "the slider at 0 % does not uncover imagery");
        }

        var extent = Extent(_out);
        AssertInside(extent, server.Log.Select(e => e.Path), HeatmapTileWriter.FolderName);
        foreach (var (path, _) in imagery.Log.Where(e => !e.PathAndQuery.StartsWith("/capabilities", StringComparison.Ordinal)))
        {
            var (z, x, y) = ImageryTile(path);
            Assert.True(Inside(extent, z, x, y), $"imagery request {path} lies outside the run's tiles {extent}");
        }
    }

    /// <summary>Opens the served viewer; checks it is clean; screenshots at 0 %, 80 % (default) and 100 % opacity.</summary>
    private static async Task<(SKBitmap Shot0, SKBitmap Shot80, SKBitmap Shot100)> CheckViewerAsync(BrowserCheck browser, Uri page)
    {
        await browser.OpenAsync(page, Ready);
        var shot80 = await browser.ScreenshotAsync();
        await browser.SetOpacityAsync(0);
        var shot0 = await browser.ScreenshotAsync();
        await browser.SetOpacityAsync(100);
        var shot100 = await browser.ScreenshotAsync();

        Assert.True(browser.ConsoleErrors.IsEmpty && browser.FailedRequests.IsEmpty, browser.Problems());
        Assert.Equal("true", await browser.EvaluateAsync<string>("document.body.dataset.imageryReady"));
        Assert.True(int.Parse(await browser.EvaluateAsync<string>("document.body.dataset.imageryTilesLoaded"), CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse(await browser.EvaluateAsync<string>("document.body.dataset.heatmapTilesLoaded"), CultureInfo.InvariantCulture) > 0);
        Assert.True(BrowserCheck.CountChanged(shot0, shot100) > BrowserCheck.SampledMapPixels / 20, "the opacity slider does not change the overlay");
        return (shot0, shot80, shot100);
    }

    private static TileRange Extent(string folder)
    {
        using var store = ScoreStore.OpenExisting(folder);
        return ProductSettings.Load(store).Extent;
    }

    private static void AssertInside(TileRange extent, IEnumerable<string> paths, string folder)
    {
        foreach (var path in paths.Where(p => p.StartsWith("/" + folder + "/", StringComparison.Ordinal)))
        {
            var parts = path.Trim('/').Split('/');
            var z = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var x = long.Parse(parts[2], CultureInfo.InvariantCulture);
            var y = long.Parse(parts[3].Split('.')[0], CultureInfo.InvariantCulture);
            Assert.True(Inside(extent, z, x, y), $"request {path} lies outside the run's tiles {extent}");
        }
    }

    /// <summary>Whether tile (z, x, y) overlaps the scored range (its parents above, its children below).</summary>
    private static bool Inside(TileRange extent, int z, long x, long y)
    {
        if (z <= extent.Zoom)
        {
            var k = extent.Zoom - z;
            return x >= extent.MinCol >> k && x <= extent.MaxCol >> k && y >= extent.MinRow >> k && y <= extent.MaxRow >> k;
        }

        var s = z - extent.Zoom;
        return x >= (long)extent.MinCol << s && x < ((long)extent.MaxCol + 1) << s && y >= (long)extent.MinRow << s && y < ((long)extent.MaxRow + 1) << s;
    }

    /// <summary>(z, x, y) of an imagery request, REST (…/{z}/{row}/{col}.png) or KVP (TILEMATRIX, TILEROW, TILECOL).</summary>
    private static (int Z, long X, long Y) ImageryTile(string pathAndQuery)
    {
        var kvp = KvpTile().Match(pathAndQuery);
        if (kvp.Success)
        {
            return (int.Parse(kvp.Groups["z"].Value, CultureInfo.InvariantCulture), long.Parse(kvp.Groups["x"].Value, CultureInfo.InvariantCulture), long.Parse(kvp.Groups["y"].Value, CultureInfo.InvariantCulture));
        }

        var parts = pathAndQuery.Trim('/').Split('/');
        return (int.Parse(parts[^3], CultureInfo.InvariantCulture), long.Parse(parts[^1].Split('.')[0], CultureInfo.InvariantCulture), long.Parse(parts[^2], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"TILEMATRIX=(?<z>\d+)&TILEROW=(?<y>\d+)&TILECOL=(?<x>\d+)")]
    private static partial Regex KvpTile();
}
