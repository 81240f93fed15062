using BenchmarkDotNet.Attributes;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Benchmarks;

/// <summary>What happens after inference: a heatmap PNG tile written (cached per score level, then an atomic file
/// write), every level's PNG encoded, a 256 px GeoTIFF tile compressed (predictor + deflate), and a tile cover enumerated.</summary>
[Config(typeof(Config))]
public class OutputBenchmarks
{
    private string _folder = null!;
    private HeatmapTileWriter _heatmap = null!;
    private uint[] _cogTile = null!;
    private MemoryStream _compressed = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "urbanscore-bench-out-" + Guid.NewGuid().ToString("N"));
        _heatmap = new HeatmapTileWriter(_folder, 256, 256, HeatmapPalette.Red);
        _cogTile = new uint[256 * 256];
        var random = new Random(42);
        for (var i = 0; i < _cogTile.Length; i++)
        {
            _cogTile[i] = (uint)(random.Next(4) * 0x40404040);
        }

        _compressed = new MemoryStream();
        CogTileCodec.Compress(_cogTile, _compressed);
        var back = new uint[_cogTile.Length];
        CogTileCodec.Decompress(_compressed.GetBuffer(), (int)_compressed.Length, back);
        if (!back.AsSpan().SequenceEqual(_cogTile))
        {
            throw new InvalidOperationException("GeoTIFF tile codec does not round-trip");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _heatmap.Dispose();

        // Only the heatmap benchmark creates the folder.
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(Description = "heatmap PNG tile write (per tile)")]
    public async Task HeatmapTile()
    {
        var i = _next++;
        // Row by row across 1,024 columns, as a run's cover comes, and never the same tile twice (a rewrite takes
        // another path).
        var outcome = new TileOutcome(new TileIndex(Zoom: 16, Col: i & 1023, Row: i >> 10), TileStatus.Scored, (i % 100) / 100f, default, FailureKind.None, null, 1);
        await _heatmap.WriteAsync(outcome, CancellationToken.None);
    }

    /// <summary>
    /// The first use of every score level: a run encodes each level's flat PNG once in the scoring sink and once more
    /// in the products pass.
    /// </summary>
    [Benchmark(Description = "heatmap level PNGs: all 256 levels encoded")]
    public long HeatmapLevelPngs()
    {
        using var writer = new HeatmapTileWriter(_folder, 256, 256, HeatmapPalette.Red);
        long bytes = 0;
        for (var level = 0; level < 256; level++)
        {
            bytes += writer.PngOf((byte)level).Length;
        }

        return bytes;
    }

    [Benchmark(Description = "GeoTIFF 256 px tile compress")]
    public long GeoTiffTile()
    {
        _compressed.SetLength(0);
        CogTileCodec.Compress(_cogTile, _compressed);
        return _compressed.Length;
    }

    [Benchmark(Description = "tile cover: 0.1° box at z16 (~1,100 tiles)")]
    public long TileCoverEnumerate()
    {
        var area = new BoxArea(new BoundingBox(MinX: 4.80, MinY: 45.72, MaxX: 4.90, MaxY: 45.82));
        long sum = 0;
        foreach (var tile in area.Cover(TileMatrixSet.WebMercatorQuad(), 16).Enumerate())
        {
            sum += tile.Col;
        }

        return sum;
    }
}
