using UrbanScore.Sources;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Tests.Benchmarking;

public sealed class PacedFetcherTests
{
    [Fact]
    public async Task Scored_BelowTheBurstThenPastIt_FetchesOnlyOnceABurstIsOwedAndNeverMoreThanScored()
    {
        // Arrange: a bench tile server on loopback, counting the requests it answers.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await BenchTileServer.StartAsync(BenchRunner.RenderDemoTiles(4), TimeSpan.Zero, 0, ct);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = 4, MaxRetries = 0 });
        var source = new XyzTileSource(server.XyzTemplate, fetcher);
        var paced = new PacedFetcher(source, concurrency: 4, burst: 8, ct);
        long afterSeven;
        await using (paced)
        {
            // Act: 7 tiles scored (under the burst of 8: the gate stays shut), then 1 more (it opens), then 100 more.
            paced.Scored(7);
            afterSeven = paced.Fetched;
            paced.Scored(1);
            await WaitForAsync(paced, 8, ct);
            paced.Scored(100);
            await WaitForAsync(paced, 108, ct);
        }

        // Assert: nothing fetched before a burst was owed, every owed tile fetched, and none beyond what was scored
        // (disposal waits for the requests in flight, so the server has answered each one it counted).
        Assert.Equal(0, afterSeven);
        Assert.Equal(108, paced.Fetched);
        Assert.Equal(108, server.Requests);
    }

    [Fact]
    public async Task DisposeAsync_WorkersWaitingAtTheGate_Stops()
    {
        // Arrange: nothing scored, so every fetch worker waits at the closed gate.
        var ct = TestContext.Current.CancellationToken;
        await using var server = await BenchTileServer.StartAsync(BenchRunner.RenderDemoTiles(4), TimeSpan.Zero, 0, ct);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { Concurrency = 2, MaxRetries = 0 });
        var paced = new PacedFetcher(new XyzTileSource(server.XyzTemplate, fetcher), concurrency: 2, burst: 4, ct);

        // Act
        await paced.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Assert
        Assert.Equal(0, server.Requests);
    }

    /// <summary>Waits (bounded) until <paramref name="paced"/> has sent <paramref name="count"/> requests.</summary>
    private static async Task WaitForAsync(PacedFetcher paced, long count, CancellationToken ct)
    {
        for (var i = 0; i < 3000 && paced.Fetched < count; i++)
        {
            await Task.Delay(10, ct);
        }

        Assert.Equal(count, paced.Fetched);
    }
}
