using Microsoft.AspNetCore.Http;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>Images that must fail cleanly through the whole pipeline: a decompression bomb header and a PNG with a bad CRC.</summary>
public sealed class HostileImageTests : IDisposable
{
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 3, rows: 1);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-hostile-" + Guid.NewGuid().ToString("N"));

    /// <summary>A real JPEG whose SOF0 header is patched to claim 60000 × 60000 pixels.</summary>
    internal static byte[] BombJpeg()
    {
        var jpeg = MisbehavingServerTests.RedJpeg();
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "no SOF0 marker");

        // FF C0, length (2), precision (1), height (2), width (2): ITU T.81 B.2.2.
        jpeg[sof + 5] = 0xEA;
        jpeg[sof + 6] = 0x60;
        jpeg[sof + 7] = 0xEA;
        jpeg[sof + 8] = 0x60;
        return jpeg;
    }

    /// <summary>A PNG whose IHDR chunk CRC is wrong (PNG spec 5.3: the CRC covers type and data).</summary>
    internal static byte[] BadCrcPng()
    {
        var png = TestImages.Flat(220, 30, 30);
        png[8 + 4 + 4 + 13] ^= 0xFF; // signature (8), IHDR length (4), type (4), data (13), then the CRC
        return png;
    }

    [Fact]
    public async Task Score_BombJpegAndBadCrcPng_FailWithReasonsWhileGoodTileScores()
    {
        var served = new[] { BombJpeg(), BadCrcPng(), MisbehavingServerTests.RedJpeg() };
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var body = served[s_grid.IndexOf(context.Request.Path.Value!)];
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(body);
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg", "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(),
            "--positive-label", "red", "--out", _out, "--retries", "0");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        var csv = s_grid.ReadCsv(_out);
        Assert.Equal("failed", csv[0].Status);
        Assert.Contains("60000×60000", csv[0].Reason, StringComparison.Ordinal);
        Assert.Equal("failed", csv[1].Status);
        Assert.Equal("scored", csv[2].Status);

        // 60000² RGBA would be 14.4 GB; the whole run allocates far less than one such row block.
        Assert.True(allocated < 2L * 1024 * 1024 * 1024, $"{allocated} bytes allocated");
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
