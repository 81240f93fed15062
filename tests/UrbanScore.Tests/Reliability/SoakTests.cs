using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// 200 requests in flight against a loopback server for a bounded time (default 20 s; URBANSCORE_SOAK_SECONDS=600 for
/// the 10-minute run): handles, threads and managed memory after the warm-up and at the end must not grow.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class SoakTests
{
    private const int InFlight = 200;
    private static readonly byte[] s_png = TestImages.Flat(200, 10, 10);

    private static (int Handles, int Threads, long ManagedBytes) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var handles = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : Process.GetCurrentProcess().HandleCount;
        using var process = Process.GetCurrentProcess();
        return (handles, process.Threads.Count, GC.GetTotalMemory(forceFullCollection: true));
    }

    [Fact]
    public async Task FetchAsync_200InFlightForTheSoakTime_NoLeakInHandlesThreadsOrMemory()
    {
        var seconds = double.Parse(Environment.GetEnvironmentVariable("URBANSCORE_SOAK_SECONDS") ?? "20", CultureInfo.InvariantCulture);
        await using var server = await LoopbackServer.StartAsync(
            async context =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 + (context.Request.Path.Value!.Length % 30)), context.RequestAborted); // simulated work
                await context.Response.Body.WriteAsync(s_png);
            },
            maxRequests: int.MaxValue,
            lifetime: TimeSpan.FromSeconds(seconds + 120));
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = InFlight, MaxRetries = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var ok = 0L;
        var failed = 0L;

        async Task RunAsync(TimeSpan duration)
        {
            var until = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, InFlight).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; until.Elapsed < duration; i++)
                {
                    var result = await fetcher.FetchAsync(new TileIndex(Zoom: 18, Col: worker, Row: i), new Uri(server.BaseUri, $"{worker}/{i}.png"), TestContext.Current.CancellationToken);
                    result.ReturnBuffer();
                    Interlocked.Increment(ref result.Status == FetchStatus.Image ? ref ok : ref failed);
                }
            })));
        }

        // The test server logs every request (about 80 bytes each, 2.7 M requests in 10 minutes); that log is the
        // harness's memory, not UrbanScore's, so it is emptied before each measurement.
        await RunAsync(TimeSpan.FromSeconds(Math.Min(5, seconds / 4)));
        server.Log.Clear();
        var before = Snapshot();
        await RunAsync(TimeSpan.FromSeconds(seconds));
        server.Log.Clear();
        var after = Snapshot();

        var figures = $"soak {seconds:0} s, {InFlight} in flight: {ok} ok, {failed} failed; handles {before.Handles} -> {after.Handles}, threads {before.Threads} -> {after.Threads}, managed {before.ManagedBytes / 1024} KiB -> {after.ManagedBytes / 1024} KiB";
        TestContext.Current.SendDiagnosticMessage(figures);
        if (Environment.GetEnvironmentVariable("URBANSCORE_SOAK_REPORT") is { } report)
        {
            await File.WriteAllTextAsync(report, figures + Environment.NewLine, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, failed);
        Assert.True(after.Handles <= before.Handles + 16, figures);
        Assert.True(after.Threads <= before.Threads + 16, figures);
        Assert.True(after.ManagedBytes <= before.ManagedBytes + (32L * 1024 * 1024), figures);
    }
}
