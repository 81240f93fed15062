using BitMiracle.LibTiff.Classic;
using Microsoft.AspNetCore.Http;
using NetTopologySuite.Geometries;
using UrbanScore.Geo;
using UrbanScore.Rendering;
using UrbanScore.Runs;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Storage;

public sealed class ShardMergeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-merge-" + Guid.NewGuid().ToString("N"));
    private readonly string _model;

    public ShardMergeTests()
    {
        Directory.CreateDirectory(_root);
        _model = Path.Combine(_root, "model.onnx");
        File.WriteAllText(_model, "fake model bytes");
    }

    /// <summary>A concave polygon with a hole over Helsinki: about 60 tiles at z13, not a rectangle.</summary>
    private static PolygonArea Area()
    {
        var f = new GeometryFactory();
        static Coordinate[] Ring(params double[] xy) => [.. Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(xy[2 * i], xy[(2 * i) + 1]))];
        var polygon = f.CreatePolygon(
            f.CreateLinearRing(Ring(24.70, 60.10, 25.20, 60.09, 25.15, 60.16, 24.86, 60.17, 24.88, 60.27, 25.21, 60.30, 24.69, 60.31, 24.70, 60.10)),
            [f.CreateLinearRing(Ring(24.74, 60.14, 24.80, 60.14, 24.80, 60.25, 24.74, 60.25, 24.74, 60.14))]);
        return new PolygonArea(polygon, "test polygon");
    }

    private static byte RedOf(int col, int row) => (byte)(((col * 37) + (row * 11)) % 256);

    private static Task<LoopbackServer> TileServer() => LoopbackServer.StartAsync(async context =>
    {
        var parts = context.Request.Path.Value!.Trim('/').Split('/');
        var col = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var row = int.Parse(parts[2].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
        if ((col + row) % 13 == 0)
        {
            context.Response.StatusCode = 404; // some empty tiles, as real sources have
            return;
        }

        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(TestImages.Flat(RedOf(col, row), 90, 30));
    });

    private async Task RunAsync(ITileSource source, string folder, Shard? shard)
    {
        using var scorer = new FakeScorer();
        var options = new ScoreJobOptions
        {
            Area = Area(),
            CoverFilter = shard is { } s ? cover => new ShardCover(cover, s) : null,
            Zoom = 13,
            OutputFolder = folder,
            Pipeline = new UrbanScore.Pipeline.PipelineOptions { FetchConcurrency = 4, DecodeWorkers = 2, ChannelCapacity = 4 },
        };
        await ScoreJob.RunAsync(source, scorer, _model, options, null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task MergeAsync_ThreeShards_EqualsOneFullRun()
    {
        // Arrange: one full run and three shard runs of the same polygon against the same server.
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        var full = Path.Combine(_root, "full");
        await RunAsync(source, full, null);
        var shardFolders = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            shardFolders.Add(Path.Combine(_root, "shard" + k));
            await RunAsync(source, shardFolders[^1], new Shard(Index: k, Count: 3));
        }

        // Act
        var merged = Path.Combine(_root, "merged");
        var counts = await ShardMerge.MergeAsync(shardFolders, merged, HeatmapPalette.Red, force: false, TestContext.Current.CancellationToken);

        // Assert: same rows, same PNG bytes, same GeoTIFF pixels, same CSV.
        using (var a = ScoreStore.OpenExisting(full))
        using (var b = ScoreStore.OpenExisting(merged))
        {
            var expected = a.ReadAll().Select(t => (t.Tile, t.Status, t.Score, string.Join(',', t.LabelScores), t.Reason)).ToList();
            Assert.True(expected.Count > 40, $"only {expected.Count} tiles");
            Assert.Equal(expected, b.ReadAll().Select(t => (t.Tile, t.Status, t.Score, string.Join(',', t.LabelScores), t.Reason)).ToList());
            Assert.Equal(expected.Count, counts.Planned);
        }

        var pngs = RelativeFiles(Path.Combine(full, "heatmap"));
        Assert.NotEmpty(pngs);
        Assert.Equal(pngs, RelativeFiles(Path.Combine(merged, "heatmap")));
        Assert.All(pngs, p => Assert.Equal(File.ReadAllBytes(Path.Combine(full, "heatmap", p)), File.ReadAllBytes(Path.Combine(merged, "heatmap", p))));
        Assert.Equal(File.ReadAllText(Path.Combine(full, "scores.csv")), File.ReadAllText(Path.Combine(merged, "scores.csv")));
        foreach (var tif in new[] { "scores.tif", "heatmap.tif" })
        {
            Assert.Equal(TiffPixels(Path.Combine(full, tif)), TiffPixels(Path.Combine(merged, tif)));
        }
    }

    [Fact]
    public async Task MergeAsync_ShardsOfDifferentModels_IsRefused()
    {
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        await RunAsync(source, Path.Combine(_root, "a"), new Shard(Index: 0, Count: 2));
        File.WriteAllText(_model, "another model");
        await RunAsync(source, Path.Combine(_root, "b"), new Shard(Index: 1, Count: 2));

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ShardMerge.MergeAsync([Path.Combine(_root, "a"), Path.Combine(_root, "b")], Path.Combine(_root, "m"), HeatmapPalette.Red, false, TestContext.Current.CancellationToken));

        Assert.Contains("another model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeAsync_SameShardTwice_IsRefusedAsOverlap()
    {
        await using var server = await TileServer();
        using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
        var source = new XyzTileSource(server.BaseUri + "{z}/{x}/{y}.png", fetcher);
        var a = Path.Combine(_root, "a");
        await RunAsync(source, a, new Shard(Index: 0, Count: 2));
        var copy = Path.Combine(_root, "a-copy");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(a, ScoreStore.FileName), Path.Combine(copy, ScoreStore.FileName));

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ShardMerge.MergeAsync([a, copy], Path.Combine(_root, "m"), HeatmapPalette.Red, false, TestContext.Current.CancellationToken));

        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }

    private static List<string> RelativeFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    /// <summary>Every decoded tile of every directory (full resolution and overviews) of a tiled TIFF.</summary>
    private static List<byte[]> TiffPixels(string path)
    {
        using var tiff = Tiff.Open(path, "r");
        Assert.NotNull(tiff);
        var result = new List<byte[]>();
        do
        {
            var size = tiff.TileSize();
            for (var i = 0; i < tiff.NumberOfTiles(); i++)
            {
                var buffer = new byte[size];
                tiff.ReadEncodedTile(i, buffer, 0, size);
                result.Add(buffer);
            }
        }
        while (tiff.ReadDirectory());

        return result;
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
    }
}
