using Microsoft.AspNetCore.Http;
using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Sources;

public sealed class HttpTileFetcherTests
{
    private static readonly TileIndex s_tile = new(Zoom: 3, Col: 1, Row: 2);
    private static readonly byte[] s_png = TestImages.Flat(200, 10, 10);

    private static HttpTileFetcher Fetcher(double maxRps = 0, int retries = 4, double timeoutSeconds = 2) => new(new HttpFetchOptions
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        MaxRetries = retries,
        MaxRequestsPerSecond = maxRps,
        MaxTileBytes = 64 * 1024,
    });

    [Fact]
    public async Task FetchAsync_429WithRetryAfter_WaitsThenSucceeds()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            }

            await context.Response.Body.WriteAsync(s_png);
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);
        result.ReturnBuffer();

        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.Equal(2, result.Attempts);
        var times = server.Log.Select(l => l.At).ToArray();
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms, before Retry-After");
    }

    [Fact]
    public async Task FetchAsync_Intermittent500_RetriesWithBackoffUntilSuccess()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                context.Response.StatusCode = 500;
                return;
            }

            await context.Response.Body.WriteAsync(s_png);
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);
        result.ReturnBuffer();

        Assert.Equal(FetchStatus.Image, result.Status);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(2, fetcher.Retries);
    }

    [Fact]
    public async Task FetchAsync_PersistentServerError_FailsWithReasonAfterRetries()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher(retries: 2);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("HTTP 503", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Http5xx, result.Kind);
        Assert.Equal(3, server.Log.Count);
    }

    [Fact]
    public async Task FetchAsync_OwsExceptionWith200_FailsWithServerMessage()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync("""<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="TileOutOfRange"><ows:ExceptionText>TileRow is out of range</ows:ExceptionText></ows:Exception></ows:ExceptionReport>""");
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("TileOutOfRange", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.NotImage, result.Kind);
        Assert.Contains("TileRow is out of range", result.Reason, StringComparison.Ordinal);
        Assert.Single(server.Log);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(204)]
    public async Task FetchAsync_NoTileStatus_IsEmpty(int status)
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Empty, result.Status);
        Assert.Equal(status == 404 ? FailureKind.Http404 : FailureKind.Http204, result.Kind);
    }

    [Fact]
    public async Task FetchAsync_RedirectToFileScheme_IsNeverFollowed()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("non-HTTP", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Redirect, result.Kind);
    }

    [Fact]
    public async Task FetchAsync_RedirectToOtherHost_IsRefusedByDefault()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "http://other.invalid/t.png";
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("another host", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Redirect, result.Kind);
    }

    [Fact]
    public async Task FetchAsync_RedirectLoop_FailsAfterFiveHops()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/loop";
            return Task.CompletedTask;
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("redirect", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Redirect, result.Kind);
        Assert.Equal(6, server.Log.Count);
    }

    [Fact]
    public async Task FetchAsync_BodiesAroundTheReadBufferOnOneConnection_ArriveWhole()
    {
        // The connection reads through ReadBufferedStream (64 KiB): bodies below, at and above it, with a length or
        // chunked, one after another on the same kept-alive connection, must each arrive byte for byte.
        var sizes = new[] { 8, 4000, 4200, 65_000, 65_536, 65_537, 150_000, 300 };
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var size = int.Parse(context.Request.Query["n"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (context.Request.Query.ContainsKey("length"))
            {
                context.Response.ContentLength = size;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(Body(size));
        });
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0, Concurrency = 1, MaxTileBytes = 1024 * 1024 });

        foreach (var size in sizes)
        {
            foreach (var length in new[] { "&length", string.Empty })
            {
                var uri = new Uri(server.BaseUri, $"t.png?n={size}{length}");
                var result = await fetcher.FetchAsync(s_tile, uri, TestContext.Current.CancellationToken);
                try
                {
                    Assert.Equal(FetchStatus.Image, result.Status);
                    Assert.True(Body(size).AsSpan().SequenceEqual(result.Bytes), $"{size} bytes{length}");
                }
                finally
                {
                    result.ReturnBuffer();
                }
            }
        }

        Assert.Equal(2 * sizes.Length, server.Log.Count);
    }

    /// <summary>A PNG signature and then <paramref name="size"/> − 8 random bytes (the fetcher checks the signature only).</summary>
    private static byte[] Body(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        s_png.AsSpan(0, 8).CopyTo(body);
        return body;
    }

    [Fact]
    public async Task FetchAsync_BodyOverCap_Fails()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            await context.Response.Body.WriteAsync(new byte[200 * 1024]);
        });
        using var fetcher = Fetcher();

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("cap", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.TooLarge, result.Kind);
    }

    [Fact]
    public async Task FetchAsync_SlowServer_TimesOutAndFails()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        });
        using var fetcher = Fetcher(retries: 1);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("timed out", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Timeout, result.Kind);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_MaxRps_NeverExceedsTheLimitInAnySecond()
    {
        await using var server = await LoopbackServer.StartAsync(async context => await context.Response.Body.WriteAsync(s_png));
        // A generous timeout: on a loaded machine a 2 s attempt can time out and retry, which is not what this measures.
        using var fetcher = Fetcher(maxRps: 10, timeoutSeconds: 60);

        await Task.WhenAll(Enumerable.Range(0, 25).Select(async i =>
        {
            var r = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, $"t{i}.png"), TestContext.Current.CancellationToken);
            r.ReturnBuffer();
        }));

        var times = server.Log.Select(l => l.At).Order().ToArray();
        Assert.Equal(25, times.Length);
        for (var i = 0; i < times.Length; i++)
        {
            var inWindow = times.Count(t => t >= times[i] && t < times[i] + TimeSpan.FromSeconds(1));
            Assert.True(inWindow <= 10, $"{inWindow} requests in the second after request {i}");
        }
    }

    [Fact]
    public async Task FetchAsync_ZeroByteBodyWith200_FailsAfterRetries()
    {
        await using var server = await LoopbackServer.StartAsync(_ => Task.CompletedTask);
        using var fetcher = Fetcher(retries: 1);

        var result = await fetcher.FetchAsync(s_tile, new Uri(server.BaseUri, "t.png"), TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Contains("empty body", result.Reason, StringComparison.Ordinal);
        Assert.Equal(FailureKind.EmptyBody, result.Kind);
    }
}
