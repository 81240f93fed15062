using BenchmarkDotNet.Attributes;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Benchmarks;

/// <summary>The decode worker's whole job for one tile: decode, bilinear resize 256 → 224, BGR planes into a tensor
/// slot. Allocated bytes per operation is the zero-allocation target.</summary>
[Config(typeof(Config))]
public class TensorFillBenchmarks
{
    private IReadOnlyList<byte[]> _tiles = null!;
    private TilePreprocessor _preprocessor = null!;
    private float[] _tensor = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _tiles = BenchData.Tiles(8);
        var spec = new ModelInputSpec(Width: 224, Height: 224, ChannelOrder: ChannelOrder.Bgr, Scale: 1f);
        _preprocessor = new TilePreprocessor(spec);
        _tensor = GC.AllocateUninitializedArray<float>(spec.ValuesPerImage, pinned: true);
        foreach (var tile in _tiles)
        {
            if (_preprocessor.Fill(tile, _tensor).Status != DecodeStatus.Image || _tensor.Max() <= 0)
            {
                throw new InvalidOperationException("benchmark tile does not fill a tensor");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _preprocessor.Dispose();

    [Benchmark(Baseline = true, Description = "decode + resize + fill (one tile)")]
    public DecodeStatus Fill() => _preprocessor.Fill(_tiles[_next++ & 7], _tensor).Status;

    [Benchmark(Description = "resize + fill only (decoded tile)")]
    public float WriteTensor()
    {
        _preprocessor.WriteTensor(_tensor);
        return _tensor[0];
    }
}
