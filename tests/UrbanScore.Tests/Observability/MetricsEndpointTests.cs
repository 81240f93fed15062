using System.Globalization;
using System.Net;
using System.Net.Sockets;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Observability;

/// <summary>
/// <c>score --metrics-port</c> serves Prometheus text while the run goes on. The tile server answers the first
/// <see cref="Step"/> requests, then holds every further request until the test has scraped; so the run is paused in
/// a known state at each scrape, with no timing guesses.
/// </summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private const int Step = 4;
    private const int Zoom = 12;
    private const string Scored = "urbanscore_tiles_scored_total";
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-metrics-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Score_WithMetricsPort_ServesCountersThatMoveWhileTheRunGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var tile = TestImages.Flat(200, 20, 20);
        var gates = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var served = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var n = Interlocked.Increment(ref served);
            var gate = (n - 1) / Step; // requests 1..Step pass, the next Step wait for gate 0, the rest for gate 1
            if (gate > 0)
            {
                await gates[Math.Min(gate, gates.Length) - 1].Task.WaitAsync(TimeSpan.FromMinutes(1));
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(tile);
        });

        var port = FreePort();
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: 2000, Row: 1300));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: 2005, Row: 1304));
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{nw.Lon + 1e-7},{se.Lat + 1e-7},{se.Lon - 1e-7},{nw.Lat - 1e-7}");
        var run = CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.png", "--zoom", "12", "--bbox", bbox, "--out", _out,
            "--model", InferenceTestData.Model("colour-fixed1"), "--positive-label", "red", "--batch-size", "1",
            "--metrics-port", port.ToString(CultureInfo.InvariantCulture));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/metrics"));
        var first = await ScrapeUntilAsync(http, endpoint, text => Value(text, Scored) >= Step, run, ct);
        gates[0].SetResult();
        var second = await ScrapeUntilAsync(http, endpoint, text => Value(text, Scored) >= Value(first, Scored) + Step, run, ct);
        gates[1].SetResult();
        var (code, stdout, stderr) = await run;

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.True(Value(second, "urbanscore_tiles_planned_total") > Value(first, Scored), second);
        Assert.True(Value(second, "urbanscore_fetch_bytes_total") > Value(first, "urbanscore_fetch_bytes_total"), second);
        Assert.True(Value(second, "urbanscore_fetch_duration_seconds_count") > Value(first, "urbanscore_fetch_duration_seconds_count"), second);
        Assert.True(Value(second, "urbanscore_inference_batch_duration_seconds_count") >= 2 * Step, second);
        Assert.Contains("urbanscore_pipeline_queue_depth", second, StringComparison.Ordinal);
        Assert.Contains("Prometheus metrics at " + endpoint, stderr, StringComparison.Ordinal);

        // The endpoint lives as long as the command: afterwards the port is closed.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(endpoint, ct));
    }

    [Fact]
    public async Task Score_MetricsPortInUse_ExitsWithBadInputNamingThePort()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (code, _, stderr) = await CliRun.RunAsync(
            "score", "--xyz", "http://127.0.0.1:1/{z}/{x}/{y}.jpg", "--zoom", "3", "--bbox", "0,0,1,1", "--out", _out,
            "--model", InferenceTestData.Model("colour-fixed1"), "--metrics-port", port);

        Assert.Equal(2, code);
        Assert.Contains("--metrics-port", stderr, StringComparison.Ordinal);
        Assert.Contains(port, stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    /// <summary>Sums every series of a Prometheus metric (all label sets); 0 when absent.</summary>
    internal static double Value(string exposition, string metric) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is ' ' or '{')
        .Sum(line =>
        {
            // "name{labels} value [timestamp]": label values may hold spaces, so read after the closing brace.
            var rest = line[metric.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..];
            return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        });

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds. The tile server is holding the run at a fixed number of tiles, so
    /// the state awaited is stable; the short pause between scrapes only avoids a busy loop.
    /// </summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient http, Uri endpoint, Func<string, bool> done, Task<(int ExitCode, string Out, string Error)> run, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var last = "(no scrape answered)";
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(run.IsCompleted, "the run ended before the awaited metrics showed up: " + (run.IsCompletedSuccessfully ? run.Result.Error : string.Empty));
            try
            {
                last = await http.GetStringAsync(endpoint, ct);
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // The command has not opened the endpoint yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), ct);
        }

        Assert.Fail("the metrics did not reach the awaited values within a minute; last scrape:\n" + last);
        return last;
    }
}
