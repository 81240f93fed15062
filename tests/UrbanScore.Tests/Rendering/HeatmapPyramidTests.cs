using SkiaSharp;
using UrbanScore.Rendering;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class HeatmapPyramidTests : IDisposable
{
    private const int MinCol = 512;
    private const int MinRow = 300;
    private readonly string _out = ProductRun.NewFolder();

    // z10 tiles cols 512..515, rows 300..303. NaN = empty, -1 = failed: both left out of every mean.
    private static readonly float[,] s_scores =
    {
        { 0.2f, 0.4f, 0.6f, 0.8f },
        { float.NaN, 0.9f, 0.3f, 0.5f },
        { 0.5f, 0.5f, -1f, 0.5f },
        { 0.5f, 0.5f, 0.5f, 0.5f },
    };

    public void Dispose() => ProductRun.Delete(_out);

    private static SKColor Pixel(string folder, int z, int x, int y, int px, int py)
    {
        using var bitmap = SKBitmap.Decode(Path.Combine(folder, "heatmap", $"{z}", $"{x}", $"{y}.png"));
        Assert.Equal(256, bitmap.Width);
        Assert.Equal(256, bitmap.Height);
        return bitmap.GetPixel(px, py);
    }

    private RenderResult Render(int? minZoom)
    {
        var settings = ProductRun.HandStore(_out, MinCol, MinRow, s_scores, minZoom);
        using var store = ScoreStore.OpenExisting(_out);
        return ProductWriters.Render(store, _out, settings, rewriteScoredLevel: true, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void WriteLevel_OneLevelUp_EachQuadrantIsOneTileAndEmptyIsTransparent()
    {
        var result = Render(minZoom: 9);

        Assert.Equal(9, result.MinZoom);

        // z9 tile (256, 150) covers cols 512..513, rows 300..301: one 128-px quadrant per z10 tile.
        Assert.Equal(new SKColor(255, 0, 0, 51), Pixel(_out, 9, 256, 150, 10, 10));     // 0.2 → round(51)
        Assert.Equal(new SKColor(255, 0, 0, 102), Pixel(_out, 9, 256, 150, 200, 10));   // 0.4 → 102
        Assert.Equal(0, Pixel(_out, 9, 256, 150, 10, 200).Alpha);                       // empty → transparent
        Assert.Equal(new SKColor(255, 0, 0, 230), Pixel(_out, 9, 256, 150, 200, 200));  // 0.9 → 229.5 → 230
        Assert.Equal(4, result.PyramidTiles);
    }

    [Fact]
    public void WriteLevel_NineLevelsUp_PixelIsMeanOfTheTwoByTwoScoredTiles()
    {
        Render(minZoom: 1);

        // z1 tile (1, 0): factor 512, one pixel per 2×2 z10 tiles; col 512 → x 0, row 300 → y 150.
        Assert.Equal(128, Pixel(_out, 1, 1, 0, 0, 150).Alpha);   // mean(0.2, 0.4, 0.9) = 0.5 → 127.5 → 128 (empty left out)
        Assert.Equal(140, Pixel(_out, 1, 1, 0, 1, 150).Alpha);   // mean(0.6, 0.8, 0.3, 0.5) = 0.55 → 140.25 → 140
        Assert.Equal(128, Pixel(_out, 1, 1, 0, 1, 151).Alpha);   // mean(0.5, 0.5, 0.5), failed left out
        Assert.Equal(128, Pixel(_out, 1, 1, 0, 0, 151).Alpha);   // mean of four 0.5
        Assert.Equal(0, Pixel(_out, 1, 1, 0, 2, 150).Alpha);     // no scored tile
        Assert.Equal(0, Pixel(_out, 1, 1, 0, 0, 149).Alpha);
    }

    [Fact]
    public void WriteLevel_TenLevelsUp_PixelIsMeanOfAllSixteenMinusEmptyAndFailed()
    {
        var result = Render(minZoom: 0);

        // z0: factor 1024, 4×4 z10 tiles per pixel → pixel (128, 75); (2.0 + 1.7 + 3.5) / 14 = 0.5142857 → 131.14 → 131.
        Assert.Equal(new SKColor(255, 0, 0, 131), Pixel(_out, 0, 0, 0, 128, 75));
        Assert.Equal(0, Pixel(_out, 0, 0, 0, 127, 75).Alpha);
        Assert.Equal(0, Pixel(_out, 0, 0, 0, 128, 76).Alpha);
        Assert.Equal(4 + 9, result.PyramidTiles); // z9: 2×2 tiles, z8..z0: one each
        Assert.Equal(0, result.MinZoom);
    }

    [Fact]
    public void Render_DefaultMinZoom_SixLevelsUp()
    {
        var result = Render(minZoom: null);

        Assert.Equal(4, result.MinZoom);
        Assert.True(File.Exists(Path.Combine(_out, "heatmap", "4", "8", "4.png")));
        Assert.False(Directory.Exists(Path.Combine(_out, "heatmap", "3")));
    }

    [Fact]
    public void Render_Viridis_PyramidUsesTheSameColourAsTheScoredLevel()
    {
        var settings = ProductRun.HandStore(_out, MinCol, MinRow, s_scores, minZoom: 9, colormap: "viridis");
        using (var store = ScoreStore.OpenExisting(_out))
        {
            ProductWriters.Render(store, _out, settings, rewriteScoredLevel: true, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Pixel(_out, 10, 513, 301, 5, 5), Pixel(_out, 9, 256, 150, 200, 200));
        Assert.Equal(255, Pixel(_out, 9, 256, 150, 200, 200).Alpha);
    }

    [Fact]
    public void Render_UniformParents_RepeatsAreHardLinksWithTheSameColour()
    {
        var uniform = new float[4, 4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                uniform[r, c] = 0.5f;
            }
        }

        var settings = ProductRun.HandStore(_out, MinCol, MinRow, uniform, minZoom: 9);
        RenderResult result;
        using (var store = ScoreStore.OpenExisting(_out))
        {
            result = ProductWriters.Render(store, _out, settings, rewriteScoredLevel: true, TestContext.Current.CancellationToken);
        }

        Assert.Equal(4, result.PyramidTiles);
        var files = new[] { (256, 150), (257, 150), (256, 151), (257, 151) }
            .Select(t => Path.Combine(_out, "heatmap", "9", $"{t.Item1}", $"{t.Item2}.png")).ToArray();
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(files[0]), File.ReadAllBytes(file));
        }

        Assert.Equal(new SKColor(255, 0, 0, 128), Pixel(_out, 9, 257, 151, 250, 250)); // 0.5 → 127.5 → 128
        if (OperatingSystem.IsLinux())
        {
            var inodes = files.Select(f => Inode(f)).Distinct().Count();
            Assert.Equal(1, inodes);
        }
    }

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }

    [Fact]
    public void ReachableMinZoom_NotNestedSet_StopsAtTheScoredLevel()
    {
        var quad = TileMatrixSet.WebMercatorQuad(12);
        var broken = new TileMatrixSet("odd", 3067, quad.Matrices.Select((m, i) => i == 9 ? m with { Resolution = m.Resolution * 1.5, ScaleDenominator = m.ScaleDenominator * 1.5 } : m));

        Assert.Equal(4, HeatmapPyramid.ReachableMinZoom(quad, 10, 4));
        Assert.Equal(10, HeatmapPyramid.ReachableMinZoom(broken, 10, 4));
        Assert.Equal(10, HeatmapPyramid.ReachableMinZoom(broken, 12, 0));
    }
}
