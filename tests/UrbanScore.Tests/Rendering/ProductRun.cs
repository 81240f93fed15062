using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Runs;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

/// <summary>Output folders for product tests: a real (small) score run, or a store filled by hand.</summary>
internal static class ProductRun
{
    // z12 box around central Helsinki: 4 × 3 tiles.
    public static readonly BoundingBox Area = new(MinX: 24.87, MinY: 60.14, MaxX: 25.10, MaxY: 60.22);

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "urbanscore-products-" + Guid.NewGuid().ToString("N"));

    /// <summary>Red level of a served tile: the fake scorer turns it into P(city) = red/255.</summary>
    public static byte RedOf(int col, int row) => (byte)(((col * 37) + (row * 11) + 60) % 256);

    /// <summary>A loopback XYZ server: flat tiles, one 404 (empty) tile at the top-left of the area.</summary>
    public static Task<LoopbackServer> TileServerAsync(Func<int, int, bool>? missing = null) =>
        LoopbackServer.StartAsync(async context =>
        {
            var parts = context.Request.Path.Value!.Trim('/').Split('/');
            var col = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var row = int.Parse(parts[2].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            if (missing?.Invoke(col, row) == true)
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(TestImages.Flat(RedOf(col, row), 120, 110));
        });

    /// <summary>Scores <see cref="Area"/> at z12 from <paramref name="server"/> into <paramref name="folder"/>.</summary>
    public static async Task<ScoreJobResult> ScoreAsync(LoopbackServer server, string folder, string? template = null, HeatmapPalette? palette = null, int? minZoom = null)
    {
        var model = Path.Combine(Path.GetTempPath(), "urbanscore-model-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(model, "fake model bytes", TestContext.Current.CancellationToken);
        try
        {
            using var fetcher = new HttpTileFetcher(new HttpFetchOptions { MaxRetries = 0 });
            var source = new XyzTileSource(template ?? server.BaseUri + "{z}/{x}/{y}.png", fetcher);
            using var scorer = new FakeScorer();
            var options = new ScoreJobOptions
            {
                Area = new UrbanScore.Geo.BoxArea(Area),
                Zoom = 12,
                OutputFolder = folder,
                Products = new ProductOptions { Palette = palette ?? HeatmapPalette.Red, MinZoom = minZoom },
                Pipeline = new PipelineOptions { FetchConcurrency = 4, DecodeWorkers = 2, ChannelCapacity = 4 },
            };
            return await ScoreJob.RunAsync(source, scorer, model, options, null, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(model);
        }
    }

    /// <summary>A store filled by hand (z10 web mercator) with the render settings saved; NaN = empty, -1 = failed.</summary>
    public static ProductSettings HandStore(string folder, int minCol, int minRow, float[,] scores, int? minZoom, string colormap = "red", TileMatrixSet? set = null)
    {
        set ??= TileMatrixSet.WebMercatorQuad();
        var identity = new RunIdentity
        {
            Source = "XYZ http://127.0.0.1:1/{z}/{x}/{y}.png",
            TileMatrixSet = set.Identifier,
            Epsg = set.Epsg,
            ModelSha256 = new string('a', 64),
            Labels = ["city", "not_city"],
            PositiveLabel = "city",
        };
        using var store = ScoreStore.Open(folder, identity, force: false);
        for (var r = 0; r < scores.GetLength(0); r++)
        {
            for (var c = 0; c < scores.GetLength(1); c++)
            {
                var p = scores[r, c];
                var status = float.IsNaN(p) ? TileStatus.Empty : p < 0 ? TileStatus.Failed : TileStatus.Scored;
                var outcome = new TileOutcome(
                    new TileIndex(Zoom: 10, Col: minCol + c, Row: minRow + r),
                    status,
                    status == TileStatus.Scored ? p : float.NaN,
                    status == TileStatus.Scored ? new[] { p, 1 - p } : ReadOnlyMemory<float>.Empty,
                    status == TileStatus.Scored ? FailureKind.None : FailureKind.Other,
                    status == TileStatus.Scored ? null : "test",
                    1);
                store.WriteAsync(outcome, TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
            }
        }

        var settings = new ProductSettings
        {
            Colormap = colormap,
            Threshold = 0,
            MinZoom = minZoom,
            ScorePixelsPerTile = 1,
            HeatmapPixelsPerTile = 4,
            Extent = new TileRange(Zoom: 10, MinCol: minCol, MinRow: minRow, MaxCol: minCol + scores.GetLength(1) - 1, MaxRow: minRow + scores.GetLength(0) - 1),
            MatrixSet = set,
            Date = "2026-01-01T00:00:00Z",
        };
        store.FlushAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
        settings.Save(store);
        return settings;
    }

    /// <summary>SHA-256 of every file under <paramref name="folder"/> except the store and run.json, by relative path.</summary>
    public static SortedDictionary<string, string> Hashes(string folder)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative.StartsWith("scores.sqlite", StringComparison.Ordinal) || relative == "run.json")
            {
                continue;
            }

            result[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return result;
    }

    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
