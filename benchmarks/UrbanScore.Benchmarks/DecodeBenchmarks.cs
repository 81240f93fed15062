using BenchmarkDotNet.Attributes;
using SkiaSharp;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Benchmarks;

/// <summary>JPEG decode of one tile: SkiaSharp's convenience decode (allocates a bitmap) vs the preprocessor's codec
/// decode into a reused bitmap, and a 512 px tile decoded at full size vs at 1/2 scale by libjpeg-turbo.</summary>
[Config(typeof(Config))]
public class DecodeBenchmarks
{
    private byte[] _tile = null!;
    private byte[] _large = null!;
    private TilePreprocessor _preprocessor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tile = BenchData.Tiles(1)[0];
        _large = BenchData.Upscaled(_tile);
        _preprocessor = new TilePreprocessor(new ModelInputSpec(Width: 224, Height: 224, ChannelOrder: ChannelOrder.Bgr, Scale: 1f));
        if (_preprocessor.Decode(_tile).Status != DecodeStatus.Image || _preprocessor.Decode(_large).Status != DecodeStatus.Image)
        {
            throw new InvalidOperationException("benchmark tiles do not decode");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _preprocessor.Dispose();

    [Benchmark(Baseline = true, Description = "256 px: SKBitmap.Decode (new bitmap)")]
    public int DecodeFull256()
    {
        using var bitmap = SKBitmap.Decode(_tile);
        return bitmap.Width;
    }

    [Benchmark(Description = "256 px: TilePreprocessor.Decode (reused bitmap)")]
    public DecodeStatus DecodeReused256() => _preprocessor.Decode(_tile).Status;

    [Benchmark(Description = "512 px: SKBitmap.Decode full size")]
    public int DecodeFull512()
    {
        using var bitmap = SKBitmap.Decode(_large);
        return bitmap.Width;
    }

    [Benchmark(Description = "512 px: TilePreprocessor.Decode at 1/2 scale")]
    public DecodeStatus DecodeScaled512() => _preprocessor.Decode(_large).Status;
}
