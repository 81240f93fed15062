using Microsoft.AspNetCore.Http;
using SkiaSharp;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// A misbehaving server (docs/reliability.md), through the real <c>score</c> command and a real (tiny) ONNX model: 429 with
/// Retry-After, intermittent 500s, responses slower than --timeout, an OWS exception with HTTP 200, a truncated JPEG.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class MisbehavingServerTests : IDisposable
{
    private const int MaxRps = 10;
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 5, rows: 4);
    private static readonly byte[] s_jpeg = RedJpeg();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-misbehaving-" + Guid.NewGuid().ToString("N"));

    // What the server does with each tile (row-major index); every other tile is a plain JPEG.
    private const int TooManyRequestsOnce = 1;
    private const int TooManyRequestsOnceB = 7;
    private const int ServerErrorTwice = 2;
    private const int ServerErrorTwiceB = 13;
    private const int SlowOnce = 3;
    private const int AlwaysSlow = 4;
    private const int ExceptionWith200 = 9;
    private const int TruncatedJpeg = 14;
    private const int NotFound = 19;

    [Fact]
    public async Task Score_MisbehavingServer_EveryTileEndsWithItsReasonRetriesAsLoggedAndRateHeld()
    {
        var requests = new int[s_grid.Count];
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var tile = s_grid.IndexOf(context.Request.Path.Value!);
            var nth = Interlocked.Increment(ref requests[tile]);
            switch (tile)
            {
                case TooManyRequestsOnce or TooManyRequestsOnceB when nth == 1:
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = "1";
                    return;
                case ServerErrorTwice or ServerErrorTwiceB when nth <= 2:
                    context.Response.StatusCode = 500;
                    return;
                case SlowOnce when nth == 1:
                case AlwaysSlow:
                    await Task.Delay(TimeSpan.FromSeconds(8), context.RequestAborted);
                    return;
                case ExceptionWith200:
                    context.Response.ContentType = "application/vnd.ogc.se_xml";
                    await context.Response.WriteAsync("""<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>backend unavailable</ows:ExceptionText></ows:Exception></ows:ExceptionReport>""");
                    return;
                case TruncatedJpeg:
                    context.Response.ContentType = "image/jpeg";
                    await context.Response.Body.WriteAsync(s_jpeg.AsMemory(0, s_jpeg.Length / 2));
                    return;
                case NotFound:
                    context.Response.StatusCode = 404;
                    return;
                default:
                    context.Response.ContentType = "image/jpeg";
                    await context.Response.Body.WriteAsync(s_jpeg);
                    return;
            }
        });

        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg", "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(),
            "--positive-label", "red", "--out", _out, "--timeout", "2", "--retries", "3", "--max-rps", "10", "--concurrency", "8");

        // The run finishes; failed tiles make it exit 3 and say how to retry them.
        Assert.True(code == 3, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("run the same command again", stderr, StringComparison.Ordinal);
        var csv = s_grid.ReadCsv(_out);
        Assert.Equal(s_grid.Count, csv.Count);
        foreach (var (tile, row) in csv)
        {
            var expected = tile switch
            {
                AlwaysSlow or ExceptionWith200 or TruncatedJpeg => "failed",
                NotFound => "empty",
                _ => "scored",
            };
            Assert.True(expected == row.Status, $"tile {tile}: {row.Status} ({row.Reason})");
        }

        Assert.Contains("timed out", csv[AlwaysSlow].Reason, StringComparison.Ordinal);
        Assert.Contains("backend unavailable", csv[ExceptionWith200].Reason, StringComparison.Ordinal);
        Assert.Contains("truncated", csv[TruncatedJpeg].Reason, StringComparison.Ordinal);
        Assert.Contains("404", csv[NotFound].Reason, StringComparison.Ordinal);
        Assert.All(csv.Values.Where(r => r.Status == "scored"), r => Assert.True(double.Parse(r.Score, System.Globalization.CultureInfo.InvariantCulture) > 0.5, r.Score));

        // Retries as the server saw them: once after Retry-After (not before 1 s), twice after 500s, the slow tile
        // until --retries ran out, and nothing retried that should not be.
        var log = server.Log.Select(l => (Tile: s_grid.IndexOf(l.PathAndQuery), l.At)).ToArray();
        DateTimeOffset[] Times(int tile) => [.. log.Where(l => l.Tile == tile).Select(l => l.At).Order()];
        foreach (var tile in new[] { TooManyRequestsOnce, TooManyRequestsOnceB })
        {
            var times = Times(tile);
            Assert.Equal(2, times.Length);
            Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"tile {tile} retried {(times[1] - times[0]).TotalMilliseconds} ms after a Retry-After of 1 s");
            Assert.Equal(2, csv[tile].Attempts);
        }

        Assert.Equal(3, Times(ServerErrorTwice).Length);
        Assert.Equal(3, Times(ServerErrorTwiceB).Length);
        Assert.Equal(3, csv[ServerErrorTwice].Attempts);
        Assert.Equal(2, Times(SlowOnce).Length);
        Assert.Equal(4, Times(AlwaysSlow).Length);
        Assert.Single(Times(ExceptionWith200));
        Assert.Single(Times(TruncatedJpeg));
        Assert.Single(Times(NotFound));

        // --max-rps 10: no one-second window at the server holds more than 10 requests.
        var all = log.Select(l => l.At).Order().ToArray();
        for (var i = 0; i < all.Length; i++)
        {
            var inWindow = all.Count(t => t >= all[i] && t < all[i] + TimeSpan.FromSeconds(1));
            Assert.True(inWindow <= MaxRps, $"{inWindow} requests in the second after request {i}");
        }
    }

    /// <summary>A reddish JPEG with texture (a flat one is a blank tile, which is "empty").</summary>
    internal static byte[] RedJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(170 + ((x * 7) + (y * 3)) % 80), 30, 30));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
