using BenchmarkDotNet.Attributes;
using UrbanScore.Pipeline;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Benchmarks;

/// <summary>
/// The run's source of truth, per tile: one row written to <c>scores.sqlite</c> as the pipeline's sink writes it
/// (an upsert in a batched transaction, with the label scores as a BLOB). Every tile of a run pays it once, on the
/// cores the compute workers need.
/// </summary>
[Config(typeof(Config))]
public class StoreBenchmarks
{
    private readonly float[] _labels = [0.83f, 0.17f];
    private string _folder = null!;
    private ScoreStore _store = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "urbanscore-bench-store-" + Guid.NewGuid().ToString("N"));
        _store = ScoreStore.Open(_folder, new RunIdentity
        {
            Source = "http://127.0.0.1/bench/{TileMatrix}/{TileRow}/{TileCol}",
            TileMatrixSet = "WebMercatorQuad",
            Epsg = 3857,
            ModelSha256 = new string('0', 64),
            Labels = ["city", "not_city"],
            PositiveLabel = "city",
        }, force: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "score row written to scores.sqlite (per tile)")]
    public ValueTask ScoreRow()
    {
        var i = _next++;
        var outcome = new TileOutcome(new TileIndex(Zoom: 16, Col: i & 4095, Row: i >> 12), TileStatus.Scored, _labels[0], _labels, FailureKind.None, null, 1);
        return _store.WriteAsync(outcome, CancellationToken.None);
    }
}
