using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using SkiaSharp;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>
/// The built CLI as a child process against a loopback tile server: SIGKILL at several points (mid-run, right after
/// transactions, during the GeoTIFF write) and resuming gives outputs equal to an uninterrupted run; SIGINT stops
/// within 2 s, keeps what is scored, says how to resume and exits 130.
/// </summary>
public sealed partial class ProcessFaultTests : IDisposable
{
    // 50 × 40 = 2,000 tiles at z14.
    private static readonly TileGrid s_grid = new(zoom: 14, firstCol: 9300, firstRow: 4700, cols: 50, rows: 40);
    private static readonly byte[][] s_tiles = [.. Enumerable.Range(0, 16).Select(TexturedJpeg)];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-process-" + Guid.NewGuid().ToString("N"));

    private static byte[] TexturedJpeg(int shade)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < 32; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)((shade * 12) + (((x * 7) + (y * 3)) % 60)), (byte)(140 - (shade * 6) + ((x * y) % 40)), (byte)(40 + ((x + (y * 5)) % 50))));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static Task<LoopbackServer> TileServer(TimeSpan? delay = null) => LoopbackServer.StartAsync(async context =>
    {
        var index = s_grid.IndexOf(context.Request.Path.Value!);
        if (index % 97 == 13)
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (delay is { } d)
        {
            await Task.Delay(d, context.RequestAborted);
        }

        context.Response.ContentType = "image/jpeg";
        await context.Response.Body.WriteAsync(s_tiles[(index * 7) % s_tiles.Length]);
    });

    private static string[] ScoreArgs(LoopbackServer server, string output) =>
    [
        "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.jpg", "--zoom", "14", "--bbox", s_grid.Bbox, "--model", TileGrid.Model(),
        "--positive-label", "red", "--out", output, "--retries", "0", "--concurrency", "8",
    ];

    private static int CountPngs(string output)
    {
        var folder = Path.Combine(output, "heatmap");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories).Count() : 0;
    }

    private static bool Writing(string output, string product) =>
        Directory.Exists(output) && Directory.EnumerateFiles(output, product + ".*").Any(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".spool", StringComparison.Ordinal));

    [Fact]
    public async Task Score_KilledAtSeveralPointsThenResumed_EqualsAnUninterruptedRun()
    {
        await using var server = await TileServer();
        var reference = Path.Combine(_root, "reference");
        var resumed = Path.Combine(_root, "resumed");
        var wall = Stopwatch.StartNew();
        using (var run = CliProcess.Start(ScoreArgs(server, reference)))
        {
            Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(60)) == 0, run.Error);
        }

        var referenceSeconds = wall.Elapsed.TotalSeconds;

        // Kill points: by progress (before and after the first 512-row commit, late in the run), during each
        // GeoTIFF write, and at seeded random times. A point the run passes without stopping is recorded, not faked.
        var random = new Random(20240611);
        var points = new List<(string Name, Func<bool> Reached)>
        {
            ("after 300 tiles", () => CountPngs(resumed) >= 300),
            ("after 700 tiles (just past a commit)", () => CountPngs(resumed) >= 700),
            ("after 1800 tiles", () => CountPngs(resumed) >= 1800),
            ("during the scores.tif write", () => Writing(resumed, "scores.tif")),
            ("during the heatmap.tif write", () => Writing(resumed, "heatmap.tif")),
        };
        for (var i = 0; i < 1; i++)
        {
            var after = TimeSpan.FromSeconds(random.NextDouble() * referenceSeconds * 0.5);
            points.Add(($"at random {after.TotalMilliseconds:0} ms", () => wall.Elapsed >= after));
        }

        var killed = new List<string>();
        var passed = new List<string>();
        foreach (var (name, reached) in points)
        {
            using var run = CliProcess.Start(ScoreArgs(server, resumed));
            wall.Restart();
            if (SpinWait.SpinUntil(() => run.HasExited || reached(), TimeSpan.FromSeconds(60)) && !run.HasExited)
            {
                run.Kill();
                killed.Add(name);
            }

            else
            {
                passed.Add($"{name}: exited {await run.WaitAsync(TimeSpan.FromSeconds(30))} with {CountPngs(resumed)} pngs {run.Out.Trim()} {run.Error.Trim()}");
            }

            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.True(killed.Count >= 5, "killed at only: " + string.Join(", ", killed) + "; passed: " + string.Join("; ", passed));
        using (var final = CliProcess.Start(ScoreArgs(server, resumed)))
        {
            Assert.True(await final.WaitAsync(TimeSpan.FromSeconds(60)) == 0, final.Error);
            Assert.Contains("already done", final.Out, StringComparison.Ordinal);
        }

        Assert.Equal(StoreRows(reference), StoreRows(resumed));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(reference, "scores.csv"), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(resumed, "scores.csv"), TestContext.Current.CancellationToken));
        foreach (var tif in new[] { "scores.tif", "heatmap.tif" })
        {
            Assert.True(TiffWithoutDate(Path.Combine(reference, tif)) == TiffWithoutDate(Path.Combine(resumed, tif)), tif + " differs");
        }

        var pngs = Files(reference, "heatmap");
        Assert.Equal(pngs.Keys.Order(StringComparer.Ordinal), Files(resumed, "heatmap").Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in Files(resumed, "heatmap"))
        {
            Assert.True(pngs[name].AsSpan().SequenceEqual(bytes), name + " differs");
        }

        TestContext.Current.SendDiagnosticMessage($"reference run {referenceSeconds:0.0} s; killed {string.Join("; ", killed)}");
    }

    [Fact]
    public async Task Score_Sigint_StopsWithinTwoSecondsKeepsScoredTilesAndExits130()
    {
        await using var server = await TileServer(delay: TimeSpan.FromMilliseconds(15));
        var output = Path.Combine(_root, "interrupted");
        using var run = CliProcess.Start(ScoreArgs(server, output));
        Assert.True(SpinWait.SpinUntil(() => run.HasExited || CountPngs(output) >= 100, TimeSpan.FromSeconds(60)), "no progress");
        Assert.False(run.HasExited, run.Error);

        var signalled = Stopwatch.StartNew();
        run.Signal("INT");
        var code = await run.WaitAsync(TimeSpan.FromSeconds(10));
        var stopped = signalled.Elapsed;

        Assert.Equal(130, code);
        Assert.True(stopped < TimeSpan.FromSeconds(2), $"stopped {stopped.TotalMilliseconds:0} ms after SIGINT");
        Assert.Contains("run the same command again to resume", run.Error, StringComparison.Ordinal);
        var rows = StoreRows(output);
        Assert.InRange(rows.Count, 100, s_grid.Count - 1);
        Assert.Equal(CountPngs(output), rows.Count(r => r.Contains("|scored|", StringComparison.Ordinal)));

        using var again = CliProcess.Start(ScoreArgs(server, output));
        Assert.True(await again.WaitAsync(TimeSpan.FromSeconds(60)) == 0, again.Error);
        Assert.Equal(s_grid.Count, StoreRows(output).Count);
    }

    [Fact]
    public async Task Score_Sigterm_StopsCleanlyLikeCtrlC()
    {
        await using var server = await TileServer(delay: TimeSpan.FromMilliseconds(15));
        var output = Path.Combine(_root, "terminated");
        using var run = CliProcess.Start(ScoreArgs(server, output));
        Assert.True(SpinWait.SpinUntil(() => run.HasExited || CountPngs(output) >= 50, TimeSpan.FromSeconds(60)), "no progress");

        run.Signal("TERM");
        var code = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(130, code);
        Assert.Contains("run the same command again to resume", run.Error, StringComparison.Ordinal);
    }

    private static List<string> StoreRows(string output)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(output, "scores.sqlite"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT zoom, row, col, status, score, hex(label_scores), reason, attempts FROM tiles ORDER BY zoom, row, col";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static Dictionary<string, byte[]> Files(string output, string folder)
    {
        var root = Path.Combine(output, folder);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
    }

    // The GeoTIFF metadata carries the write time (GDAL_METADATA DATE); everything else must match byte for byte.
    private static string TiffWithoutDate(string path) => DateStamp().Replace(Encoding.Latin1.GetString(File.ReadAllBytes(path)), "DATE");

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")]
    private static partial Regex DateStamp();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
