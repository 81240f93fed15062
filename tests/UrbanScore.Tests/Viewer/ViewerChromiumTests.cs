using System.Net;
using Microsoft.AspNetCore.Http;
using SkiaSharp;
using UrbanScore.Rendering;
using UrbanScore.Tests.Rendering;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tests.Viewer;

/// <summary>The viewer in a real browser: headless Debian Chromium loads index.html from <see cref="RunFolderServer"/>.</summary>
public sealed class ViewerChromiumTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "urbanscore-chromium-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        ProductRun.Delete(_out);
        ProductRun.Delete(_profile);
    }

    /// <summary>Imagery: light grey-pink tiles (230, 200, 200); the fake model reads red 230 as P(city) = 0.9.</summary>
    private static Task<LoopbackServer> ImageryServerAsync() =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/png";
            context.Response.Headers.AccessControlAllowOrigin = "*";
            await context.Response.Body.WriteAsync(TestImages.Flat(230, 200, 200));
        });

    private (int ExitCode, string StdOut, string StdErr) Chromium(string chromium, string mode, Uri page) =>
        ExternalTool.Run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + _profile,
                "--enable-logging=stderr", "--v=0", "--window-size=1000,700", "--virtual-time-budget=15000",
                mode, page.AbsoluteUri,
            ],
            TimeSpan.FromSeconds(90));

    [Fact]
    public async Task IndexHtml_HeadlessChromium_ShowsRedHeatmapOverImageryWithoutConsoleErrors()
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        await using var imagery = await ImageryServerAsync();
        await ProductRun.ScoreAsync(imagery, _out);
        var html = File.ReadAllText(Path.Combine(_out, "index.html"));
        Assert.Contains(imagery.BaseUri.Authority, html, StringComparison.Ordinal);
        await using var server = await RunFolderServer.StartAsync(_out, IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
        var screenshot = Path.Combine(_out, "screenshot.png");

        var (shotExit, _, shotLog) = await Task.Run(() => Chromium(chromium, "--screenshot=" + screenshot, server.BaseUri), TestContext.Current.CancellationToken);
        var (domExit, dom, domLog) = await Task.Run(() => Chromium(chromium, "--dump-dom", server.BaseUri), TestContext.Current.CancellationToken);

        Assert.True(shotExit == 0, shotLog);
        Assert.True(domExit == 0, domLog);
        foreach (var log in new[] { shotLog, domLog })
        {
            Assert.DoesNotContain("Uncaught", log, StringComparison.Ordinal);
            Assert.DoesNotContain(":CONSOLE", log.Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal)).FirstOrDefault() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("Failed to load resource", log, StringComparison.Ordinal);
        }

        Assert.Contains("data-errors=\"0\"", dom, StringComparison.Ordinal);
        Assert.Matches("data-heatmap-tiles-loaded=\"[1-9][0-9]*\"", dom);
        // The 4 × 3 z12 tiles fit the map at z11, so Leaflet asks the pyramid; those tiles exist as files.
        Assert.Contains(server.Log, entry => entry.Path.StartsWith("/heatmap/", StringComparison.Ordinal) && entry.Status == 200 && File.Exists(Path.Combine(_out, entry.Path.TrimStart('/'))));
        Assert.Contains(server.Log, entry => entry.Path == "/viewer/leaflet.js" && entry.Status == 200);
        Assert.Empty(server.Log.Where(entry => entry.Status >= 400).Select(entry => entry.Path));
        Assert.Contains(imagery.Log, entry => entry.PathAndQuery.StartsWith("/1", StringComparison.Ordinal));

        // Heatmap over the imagery: P = 0.9 red at 80 % opacity turns (230, 200, 200) into about (248, 56, 56).
        if (Environment.GetEnvironmentVariable("URBANSCORE_KEEP_SCREENSHOT") is { Length: > 0 } keep)
        {
            File.Copy(screenshot, keep, overwrite: true);
        }

        using var bitmap = SKBitmap.Decode(screenshot);
        var red = 0;
        for (var y = 0; y < bitmap.Height; y += 4)
        {
            for (var x = 0; x < bitmap.Width - 320; x += 4)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red > 200 && pixel.Green < 110 && pixel.Blue < 110)
                {
                    red++;
                }
            }
        }

        var sampled = (bitmap.Height / 4) * ((bitmap.Width - 320) / 4);
        Assert.True(red > sampled / 10, $"only {red} of {sampled} sampled map pixels are heatmap red; screenshot: {screenshot}");
    }
}
