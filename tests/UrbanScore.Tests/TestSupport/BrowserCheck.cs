using System.Collections.Concurrent;
using PuppeteerSharp;
using SkiaSharp;

namespace UrbanScore.Tests.TestSupport;

/// <summary>
/// Loads a page in the system Chromium (<c>/usr/bin/chromium</c>, driven over the DevTools protocol by PuppeteerSharp;
/// nothing is downloaded) and records what a user would see go wrong: console errors, uncaught exceptions, failed
/// requests and HTTP error responses, plus screenshots. Owns the browser: dispose to close it.
/// </summary>
internal sealed class BrowserCheck : IAsyncDisposable
{
    /// <summary>Viewport: 1000 × 700; the viewer's map is the left 680 px (the panel is 320 px wide).</summary>
    public const int Width = 1000;

    public const int Height = 700;

    public const int MapWidth = Width - 320;

    private readonly IBrowser _browser;
    private readonly IPage _page;

    private BrowserCheck(IBrowser browser, IPage page)
    {
        _browser = browser;
        _page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                ConsoleErrors.Add(e.Message.Text + " " + e.Message.Location?.URL);
            }
        };
        page.PageError += (_, e) => ConsoleErrors.Add("uncaught: " + e.Message);
        page.RequestFailed += (_, e) => FailedRequests.Add(e.Request.Url + " (" + e.Request.FailureText + ")");
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                FailedRequests.Add(e.Response.Url + " (HTTP " + (int)e.Response.Status + ")");
            }
        };
    }

    /// <summary>Console errors and uncaught exceptions, in order.</summary>
    public ConcurrentBag<string> ConsoleErrors { get; } = [];

    /// <summary>Requests that failed (network error, refused, blocked) or answered 4xx/5xx.</summary>
    public ConcurrentBag<string> FailedRequests { get; } = [];

    /// <summary>Starts headless Chromium; skips the test when it is not installed.</summary>
    public static async Task<BrowserCheck> StartAsync()
    {
        var chromium = ExternalTool.Require("chromium", "chromium");
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            DefaultViewport = new ViewPortOptions { Width = Width, Height = Height },
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync();
        return new BrowserCheck(browser, page);
    }

    /// <summary>Opens <paramref name="url"/> and waits until the network is idle and <paramref name="readyScript"/> holds (a JS expression).</summary>
    public async Task OpenAsync(Uri url, string readyScript = "true")
    {
        await _page.GoToAsync(url.AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Networkidle0], Timeout = 60_000 });
        await _page.WaitForFunctionAsync("() => " + readyScript, new WaitForFunctionOptions { Timeout = 30_000, PollingInterval = 100 });
        await _page.WaitForNetworkIdleAsync(new WaitForNetworkIdleOptions { IdleTime = 300, Timeout = 30_000 });
    }

    public Task<T> EvaluateAsync<T>(string expression) => _page.EvaluateExpressionAsync<T>(expression);

    /// <summary>Sets the viewer's opacity slider as a user dragging it would (an input event), then waits for the repaint.</summary>
    public async Task SetOpacityAsync(int percent)
    {
        await _page.EvaluateExpressionAsync($"(() => {{ const s = document.getElementById('opacity'); s.value = '{percent}'; s.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()");
        await _page.EvaluateExpressionAsync("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    }

    /// <summary>A screenshot of the viewport; the caller owns the bitmap.</summary>
    public async Task<SKBitmap> ScreenshotAsync()
    {
        var png = await _page.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png });
        if (Environment.GetEnvironmentVariable("URBANSCORE_KEEP_SCREENSHOTS") is { Length: > 0 } keep)
        {
            // For a person to look at: URBANSCORE_KEEP_SCREENSHOTS=/some/folder keeps every screenshot taken.
            Directory.CreateDirectory(keep);
            await File.WriteAllBytesAsync(Path.Combine(keep, DateTime.UtcNow.ToString("HHmmss.fff", System.Globalization.CultureInfo.InvariantCulture) + ".png"), png);
        }

        return SKBitmap.Decode(png);
    }

    /// <summary>Map pixels (left of the panel, every 4th in both directions) for which <paramref name="test"/> holds.</summary>
    public static int CountMapPixels(SKBitmap bitmap, Func<SKColor, bool> test)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y += 4)
        {
            for (var x = 0; x < Math.Min(MapWidth, bitmap.Width); x += 4)
            {
                if (test(bitmap.GetPixel(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Map pixels sampled by <see cref="CountMapPixels"/>.</summary>
    public static int SampledMapPixels => (Height / 4) * (MapWidth / 4);

    /// <summary>Sampled map pixels that differ by more than 24 in some channel between two screenshots.</summary>
    public static int CountChanged(SKBitmap a, SKBitmap b)
    {
        var count = 0;
        for (var y = 0; y < Math.Min(a.Height, b.Height); y += 4)
        {
            for (var x = 0; x < Math.Min(MapWidth, Math.Min(a.Width, b.Width)); x += 4)
            {
                var p = a.GetPixel(x, y);
                var q = b.GetPixel(x, y);
                if (Math.Abs(p.Red - q.Red) > 24 || Math.Abs(p.Green - q.Green) > 24 || Math.Abs(p.Blue - q.Blue) > 24)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>What went wrong on the page, for assertion messages.</summary>
    public string Problems() => "console: [" + string.Join("; ", ConsoleErrors) + "] failed requests: [" + string.Join("; ", FailedRequests) + "]";

    public async ValueTask DisposeAsync()
    {
        await _page.DisposeAsync();
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}
