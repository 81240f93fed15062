using SkiaSharp;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class HeatmapTileWriterTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    private static TileOutcome Scored(int col, int row, float score) =>
        new(new TileIndex(Zoom: 12, Col: col, Row: row), TileStatus.Scored, score, default, FailureKind.None, null, 1);

    private static async Task WriteAsync(HeatmapTileWriter writer, params TileOutcome[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            await writer.WriteAsync(outcome, TestContext.Current.CancellationToken);
        }

        await writer.FlushAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WriteAsync_ManyTilesOfOneLevel_EveryFileHoldsItsLevelsPng()
    {
        using var writer = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        var outcomes = Enumerable.Range(0, 40).Select(i => Scored(100 + (i % 4), 200 + (i / 4), i % 2 == 0 ? 0.9f : 0.1f)).ToArray();

        await WriteAsync(writer, outcomes);

        foreach (var outcome in outcomes)
        {
            Assert.Equal(writer.PngOf(HeatmapPalette.Level(outcome.Score)), File.ReadAllBytes(writer.TilePath(outcome.Tile)));
        }

        Assert.Empty(Directory.EnumerateFiles(_out, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteAsync_OneLevelAcrossColumns_EveryTileIsALinkToTheFirst()
    {
        Assert.SkipUnless(HardLink.IsSupported, "no hard links on this platform: every tile is written");
        using var writer = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        var outcomes = Enumerable.Range(0, 15).Select(i => Scored(100 + (i % 5), 200 + (i / 5), 0.9f)).ToArray();

        await WriteAsync(writer, outcomes);

        // Written in place through the first tile's name, every other tile changes with it: one file, many names.
        using (var stream = new FileStream(writer.TilePath(outcomes[0].Tile), FileMode.Open, FileAccess.Write))
        {
            stream.Write([1, 2, 3, 4]);
        }

        Assert.All(outcomes, o => Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(writer.TilePath(o.Tile)).Take(4)));
    }

    [Fact]
    public async Task WriteAsync_FirstTileOfALevelRewrittenWithAnother_OtherTilesKeepTheirLevel()
    {
        using var writer = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        var first = Scored(1, 1, 0.9f);
        var second = Scored(2, 1, 0.9f);
        var third = Scored(3, 1, 0.9f);

        await WriteAsync(writer, first, second, Scored(1, 1, 0.1f), third);

        var high = writer.PngOf(HeatmapPalette.Level(0.9f));
        Assert.Equal(writer.PngOf(HeatmapPalette.Level(0.1f)), File.ReadAllBytes(writer.TilePath(first.Tile)));
        Assert.Equal(high, File.ReadAllBytes(writer.TilePath(second.Tile)));
        Assert.Equal(high, File.ReadAllBytes(writer.TilePath(third.Tile)));
    }

    [Fact]
    public async Task WriteAsync_TilesExistFromAnEarlierRun_ReplacedWithTheNewLevel()
    {
        using var earlier = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        await WriteAsync(earlier, Scored(1, 1, 0.2f), Scored(2, 1, 0.2f), Scored(3, 1, 0.2f));
        using var later = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);

        await WriteAsync(later, Scored(1, 1, 0.8f), Scored(2, 1, 0.8f), Scored(4, 1, 0.2f));

        var high = later.PngOf(HeatmapPalette.Level(0.8f));
        var low = later.PngOf(HeatmapPalette.Level(0.2f));
        Assert.Equal(high, File.ReadAllBytes(later.TilePath(Scored(1, 1, 0).Tile)));
        Assert.Equal(high, File.ReadAllBytes(later.TilePath(Scored(2, 1, 0).Tile)));
        Assert.Equal(low, File.ReadAllBytes(later.TilePath(Scored(3, 1, 0).Tile)));
        Assert.Equal(low, File.ReadAllBytes(later.TilePath(Scored(4, 1, 0).Tile)));
        Assert.Empty(Directory.EnumerateFiles(_out, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteAsync_LinkSourceDeleted_NextTileWrittenAndLinkingResumes()
    {
        using var writer = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        await WriteAsync(writer, Scored(1, 1, 0.5f));
        File.Delete(writer.TilePath(Scored(1, 1, 0).Tile));

        await WriteAsync(writer, Scored(2, 1, 0.5f), Scored(3, 1, 0.5f));

        var png = writer.PngOf(HeatmapPalette.Level(0.5f));
        Assert.Equal(png, File.ReadAllBytes(writer.TilePath(Scored(2, 1, 0).Tile)));
        Assert.Equal(png, File.ReadAllBytes(writer.TilePath(Scored(3, 1, 0).Tile)));
    }

    [Fact]
    public async Task WriteAsync_TemporaryFileLeftByAKilledRun_TileWrittenAndLeftoverGone()
    {
        using var writer = new HeatmapTileWriter(_out, 256, 256, HeatmapPalette.Red);
        var tile = Scored(1, 1, 0.7f);
        var path = writer.TilePath(tile.Tile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".tmp", "half a png from a run killed while writing", TestContext.Current.CancellationToken);

        await WriteAsync(writer, tile);

        Assert.Equal(writer.PngOf(HeatmapPalette.Level(0.7f)), File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData(256, 256)]
    [InlineData(512, 512)]
    [InlineData(300, 200)]
    public void PngOf_EveryLevel_DecodesToThatLevelsPaletteColourEverywhere(int width, int height)
    {
        using var writer = new HeatmapTileWriter(_out, width, height, HeatmapPalette.Red);
        var expected = new byte[4];
        for (var level = 0; level < 256; level++)
        {
            HeatmapPalette.Red.Map(level / 255f, expected);
            using var bitmap = SKBitmap.Decode(writer.PngOf((byte)level), new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
            var pixels = bitmap.GetPixelSpan();
            for (var p = 0; p < pixels.Length; p += 4)
            {
                Assert.True(pixels.Slice(p, 4).SequenceEqual(expected), $"level {level}: pixel {p / 4} is not the palette colour");
            }
        }
    }

    [Fact]
    public void TransparentPng_OfATileSize_DecodesFullyTransparent()
    {
        using var bitmap = SKBitmap.Decode(HeatmapTileWriter.TransparentPng(256, 256), new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.Equal(256, bitmap.Width);
        Assert.All(bitmap.GetPixelSpan().ToArray(), b => Assert.Equal(0, b));
    }
}
