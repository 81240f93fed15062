using Microsoft.AspNetCore.Http;
using UrbanScore.Sources;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Sources;

public sealed class TileDiskCacheTests : IDisposable
{
    private static readonly TileIndex s_tile = new(Zoom: 3, Col: 1, Row: 2);
    private static readonly byte[] s_png = TestImages.Flat(200, 10, 10);
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "urbanscore-cache-" + Guid.NewGuid().ToString("N"));

    private HttpTileFetcher Fetcher() => new(new HttpFetchOptions
    {
        CacheFolder = _cache,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxRetries = 1,
        CircuitFailureThreshold = 0,
    });

    private static async Task<byte[]> FetchBytesAsync(HttpTileFetcher fetcher, Uri uri)
    {
        var result = await fetcher.FetchAsync(s_tile, uri, TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(FetchStatus.Image, result.Status);
            return result.Bytes.ToArray();
        }
        finally
        {
            result.ReturnBuffer();
        }
    }

    [Fact]
    public async Task FetchAsync_WithETag_SecondFetcherRevalidatesAnd304UsesTheCachedBytes()
    {
        var conditional = new List<string?>();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
            lock (conditional)
            {
                conditional.Add(ifNoneMatch.Length == 0 ? null : ifNoneMatch);
            }

            if (ifNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.Headers.ETag = "\"v1\"";
            await context.Response.Body.WriteAsync(s_png);
        });
        var uri = new Uri(server.BaseUri, "t.png?apikey=SECRET123");

        using (var first = Fetcher())
        {
            Assert.Equal(s_png, await FetchBytesAsync(first, uri));
        }

        using var second = Fetcher();
        var again = await FetchBytesAsync(second, uri);

        Assert.Equal(s_png, again);
        Assert.Equal([null, "\"v1\""], conditional);
        Assert.Equal(1, second.CacheHits);
        Assert.Equal(2, server.Log.Count);
    }

    [Fact]
    public async Task FetchAsync_ETagChanged_ReplacesTheEntry()
    {
        var version = 1;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var current = $"\"v{Volatile.Read(ref version)}\"";
            if (context.Request.Headers.IfNoneMatch.ToString() == current)
            {
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.Headers.ETag = current;
            await context.Response.Body.WriteAsync(Volatile.Read(ref version) == 1 ? s_png : TestImages.Flat(10, 200, 10));
        });
        var uri = new Uri(server.BaseUri, "t.png");
        using var fetcher = Fetcher();
        await FetchBytesAsync(fetcher, uri);

        Volatile.Write(ref version, 2);
        var changed = await FetchBytesAsync(fetcher, uri);
        var third = await FetchBytesAsync(fetcher, uri);

        Assert.Equal(TestImages.Flat(10, 200, 10), changed);
        Assert.Equal(changed, third);
        Assert.Equal(1, fetcher.CacheHits);
    }

    [Fact]
    public async Task FetchAsync_NoETag_ServesFromCacheWithoutARequest()
    {
        await using var server = await LoopbackServer.StartAsync(async context => await context.Response.Body.WriteAsync(s_png));
        var uri = new Uri(server.BaseUri, "t.png");
        using var fetcher = Fetcher();

        await FetchBytesAsync(fetcher, uri);
        var cached = await FetchBytesAsync(fetcher, uri);

        Assert.Equal(s_png, cached);
        Assert.Single(server.Log);
    }

    [Fact]
    public async Task FetchAsync_RevalidationFailsWithServerDown_UsesTheCachedTile()
    {
        var down = false;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Volatile.Read(ref down))
            {
                context.Response.StatusCode = 503;
                return;
            }

            context.Response.Headers.ETag = "\"v1\"";
            await context.Response.Body.WriteAsync(s_png);
        });
        var uri = new Uri(server.BaseUri, "t.png");
        using var fetcher = Fetcher();
        await FetchBytesAsync(fetcher, uri);

        Volatile.Write(ref down, true);
        var stale = await FetchBytesAsync(fetcher, uri);

        Assert.Equal(s_png, stale);
    }

    [Fact]
    public async Task FetchAsync_FailedAndNonImageResponses_AreNotCached()
    {
        await using var server = await LoopbackServer.StartAsync(async context => await context.Response.WriteAsync("<ExceptionReport><Exception><ExceptionText>no</ExceptionText></Exception></ExceptionReport>"));
        var uri = new Uri(server.BaseUri, "t.png");
        using var fetcher = Fetcher();

        var first = await fetcher.FetchAsync(s_tile, uri, TestContext.Current.CancellationToken);
        var second = await fetcher.FetchAsync(s_tile, uri, TestContext.Current.CancellationToken);

        Assert.Equal(FetchStatus.Failed, first.Status);
        Assert.Equal(FetchStatus.Failed, second.Status);
        Assert.Equal(2, server.Log.Count);
        Assert.Empty(Directory.EnumerateFiles(_cache, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("http://h/wmts/../../../etc/passwd?layer=../../x&key=SECRET1")]
    [InlineData("http://h/tiles/%2e%2e/%2e%2e/1/2/3.png")]
    [InlineData("http://user:SECRET1@h/C:/Windows/1/2/3.png")]
    public void PathFor_HostileUrl_StaysUnderTheRootAndHoldsNoSecret(string url)
    {
        var cache = new TileDiskCache(_cache);

        var path = cache.PathFor(new Uri(url));

        Assert.StartsWith(Path.GetFullPath(_cache) + Path.DirectorySeparatorChar, Path.GetFullPath(path), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", path, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}\\.tile$", Path.GetFileName(path));
    }

    [Fact]
    public void PathFor_SameTileWithDifferentKeys_SharesOneEntry()
    {
        var cache = new TileDiskCache(_cache);

        Assert.Equal(cache.PathFor(new Uri("http://h/1/2/3.png?apikey=AAAA")), cache.PathFor(new Uri("http://h/1/2/3.png?apikey=BBBB")));
        Assert.NotEqual(cache.PathFor(new Uri("http://h/1/2/3.png")), cache.PathFor(new Uri("http://h/1/2/4.png")));
    }

    [Fact]
    public async Task TryRead_DamagedEntry_CountsAsAbsent()
    {
        var cache = new TileDiskCache(_cache);
        var uri = new Uri("http://h/1/2/3.png");
        await cache.WriteAsync(uri, s_png, "\"e\"", TestContext.Current.CancellationToken);
        var path = cache.PathFor(uri);
        await File.WriteAllBytesAsync(path, [1, 2, 3], TestContext.Current.CancellationToken);

        Assert.False(cache.TryRead(uri, out _));
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }
}
