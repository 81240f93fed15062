using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using UrbanScore.Sources;
using UrbanScore.Tests.Reliability;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Sources;

/// <summary>Server faults beyond the basic ones in <see cref="HttpTileFetcherTests"/> (issue 9), each survived.</summary>
[Collection(RunsAlone.Name)]
public sealed class HttpTileFetcherFaultTests
{
    private static readonly TileIndex s_tile = new(Zoom: 3, Col: 1, Row: 2);
    private static readonly byte[] s_png = TestImages.Flat(200, 10, 10);

    private static HttpTileFetcher Fetcher(int retries = 4, bool otherHosts = false) => new(new HttpFetchOptions
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(2),
        MaxRetries = retries,
        FollowRedirectsToOtherHosts = otherHosts,
    });

    [Fact]
    public async Task FetchAsync_ConnectionResetMidBody_RetriesOnANewConnectionAndSucceeds()
    {
        await using var server = RawHttpServer.Start((index, socket) => index == 0
            ? RawHttpServer.SendHalfThenResetAsync(socket, s_png)
            : RawHttpServer.SendOkAsync(socket, s_png));
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);
        var bytes = result.Bytes.ToArray();
        result.ReturnBuffer();

        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(s_png, bytes);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task FetchAsync_ConnectionResetEveryTime_FailsWithTheReason()
    {
        await using var server = RawHttpServer.Start((_, socket) => RawHttpServer.SendHalfThenResetAsync(socket, s_png));
        using var fetcher = Fetcher(retries: 2);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(3, result.Attempts);
        Assert.Contains("connection", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_ConnectionRefusedThenServerStarts_Succeeds()
    {
        // A port nobody listens on (taken and released), so the first attempts are refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            MaxRetries = 30,
            CircuitFailureThreshold = 0,
        });

        var fetch = fetcher.FetchAsync(s_tile, new Uri($"http://127.0.0.1:{port}/t.png"), TestContext.Current.CancellationToken);
        Assert.True(SpinWait.SpinUntil(() => fetcher.Retries >= 2, TimeSpan.FromSeconds(20)), "the fetcher never retried a refused connection");
        await using var server = RawHttpServer.Start((_, socket) => RawHttpServer.SendOkAsync(socket, s_png), port);
        var result = await fetch;
        result.ReturnBuffer();

        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.True(result.Attempts >= 3, $"{result.Attempts} attempts");
    }

    [Fact]
    public async Task FetchAsync_ServerAcceptsAndNeverAnswers_TimesOutEveryAttempt()
    {
        await using var server = RawHttpServer.Start((_, socket) => Task.Delay(Timeout.Infinite, TestContext.Current.CancellationToken));
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), InitialBackoff = TimeSpan.FromMilliseconds(10), MaxRetries = 1 });

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("timed out", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_RedirectToOtherHostWithFlag_IsFollowed()
    {
        await using var target = await LoopbackServer.StartAsync(async context => await context.Response.Body.WriteAsync(s_png));
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"http://localhost:{target.BaseUri.Port}/t.png";
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher(otherHosts: true);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);
        result.ReturnBuffer();

        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.Single(target.Log);
    }

    [Fact]
    public async Task FetchAsync_RedirectToFileSchemeWithOtherHostsAllowed_IsStillRefused()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher(otherHosts: true);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("non-HTTP", result.Reason, StringComparison.Ordinal);
        Assert.Single(server.Log);
    }

    [Fact]
    public async Task FetchAsync_HostKeepsFailing_CircuitPausesTheHost()
    {
        var failing = 6;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Decrement(ref failing) >= 0)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await context.Response.Body.WriteAsync(s_png);
        });
        var pause = TimeSpan.FromMilliseconds(800);
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(2),
            MaxRetries = 10,
            CircuitFailureThreshold = 3,
            CircuitPause = pause,
            CircuitMaxPause = pause * 4,
        });

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);
        result.ReturnBuffer();

        // 3 failures open the circuit for 800 ms, 3 more for 1600 ms; then the 7th request succeeds.
        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.Equal(2, fetcher.CircuitPauses);
        var times = server.Log.Select(l => l.At).ToArray();
        Assert.Equal(7, times.Length);
        Assert.True(times[3] - times[2] >= pause - TimeSpan.FromMilliseconds(20), $"first pause {(times[3] - times[2]).TotalMilliseconds} ms");
        Assert.True(times[6] - times[5] >= (pause * 2) - TimeSpan.FromMilliseconds(20), $"second pause {(times[6] - times[5]).TotalMilliseconds} ms");
        Assert.True(times[2] - times[0] < pause, "no pause before the threshold");
    }
}
