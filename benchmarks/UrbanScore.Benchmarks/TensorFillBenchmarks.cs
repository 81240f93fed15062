using BenchmarkDotNet.Attributes;
using SkiaSharp;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Benchmarks;

/// <summary>
/// The compute worker's decode side for one tile: decode, bring to 224 px (bilinear resize of the 256 px tile, or the
/// centred 224 px window without resampling), BGR planes into a tensor slot; and the RGBA → planar fill alone, the
/// vectorised loop against the per-pixel scalar loop it replaced (same run, same data). Allocated bytes per operation
/// is the zero-allocation target. The resample alone: SkiaSharp's linear scale into a bitmap then the planar split
/// (before) against the fused float resampler writing the planes directly (after), same decoded tile.
/// </summary>
[Config(typeof(Config))]
public class TensorFillBenchmarks
{
    private const int Size = 224;
    private IReadOnlyList<byte[]> _tiles = null!;
    private TilePreprocessor _resize = null!;
    private TilePreprocessor _crop = null!;
    private float[] _tensor = null!;
    private uint[] _rgba = null!;
    private int _next;
    private SKBitmap _decoded = null!;
    private SKPixmap _decodedPixels = null!;
    private SKBitmap _resized = null!;
    private SKPixmap _resizedPixels = null!;
    private BilinearPlanes _resampler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tiles = BenchData.Tiles(8);
        var spec = new ModelInputSpec(Width: Size, Height: Size, ChannelOrder: ChannelOrder.Bgr, Scale: 1f);
        _resize = new TilePreprocessor(spec);
        _crop = new TilePreprocessor(spec with { Fit = InputFit.CentreCrop });
        _tensor = GC.AllocateUninitializedArray<float>(spec.ValuesPerImage, pinned: true);
        var scalar = new float[spec.ValuesPerImage];
        var random = new Random(7);
        _rgba = [.. Enumerable.Range(0, Size * Size).Select(_ => (uint)random.NextInt64(0, uint.MaxValue))];
        foreach (var tile in _tiles)
        {
            if (_resize.Fill(tile, _tensor).Status != DecodeStatus.Image || _tensor.Max() <= 0 || _crop.Fill(tile, _tensor).Status != DecodeStatus.Image)
            {
                throw new InvalidOperationException("benchmark tile does not fill a tensor");
            }
        }

        _decoded = SKBitmap.Decode(_tiles[0], new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        _decodedPixels = _decoded.PeekPixels();
        _resized = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        _resizedPixels = _resized.PeekPixels();
        _resampler = new BilinearPlanes(Size, Size);

        // The two resamplers agree within a level (Skia rounds in 8-bit fixed point) before either is timed.
        ResampleSkia();
        _tensor.CopyTo(scalar, 0);
        ResampleFused();
        if (_tensor.Zip(scalar, (a, b) => Math.Abs(a - b)).Max() > 1.5f)
        {
            throw new InvalidOperationException("fused and Skia resamples differ by more than a level");
        }

        // The two fills must agree before either is timed.
        SplitScalar();
        _tensor.CopyTo(scalar, 0);
        SplitVector();
        if (!_tensor.AsSpan().SequenceEqual(scalar))
        {
            throw new InvalidOperationException("vectorised and scalar fills differ");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _resize.Dispose();
        _crop.Dispose();
        _decodedPixels.Dispose();
        _decoded.Dispose();
        _resizedPixels.Dispose();
        _resized.Dispose();
    }

    [Benchmark(Description = "resample 256→224 into BGR planes: Skia linear scale + split (before)")]
    public float ResampleSkia()
    {
        _decodedPixels.ScalePixels(_resizedPixels, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        const int plane = Size * Size;
        var pixels = _resized.GetPixelSpan();
        for (var y = 0; y < Size; y++)
        {
            var o = y * Size;
            var row = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(pixels.Slice(y * _resized.RowBytes, Size * 4));
            TilePreprocessor.SplitRow(row, _tensor.AsSpan(o, Size), _tensor.AsSpan(plane + o, Size), _tensor.AsSpan((2 * plane) + o, Size), 16, 0, 1f);
        }

        return _tensor[0];
    }

    [Benchmark(Description = "resample 256→224 into BGR planes: fused float bilinear (after)")]
    public unsafe float ResampleFused()
    {
        _resampler.Write((byte*)_decoded.GetPixels(), _decoded.RowBytes, 256, 256, 16, 0, 1f, _tensor);
        return _tensor[0];
    }

    [Benchmark(Baseline = true, Description = "decode + resize 256→224 + fill (one tile)")]
    public DecodeStatus FillResize() => _resize.Fill(_tiles[_next++ & 7], _tensor).Status;

    [Benchmark(Description = "decode + centre 224 window + fill (one tile)")]
    public DecodeStatus FillCentreCrop() => _crop.Fill(_tiles[_next++ & 7], _tensor).Status;

    [Benchmark(Description = "resize + fill only (decoded tile)")]
    public float WriteTensor()
    {
        _resize.WriteTensor(_tensor);
        return _tensor[0];
    }

    [Benchmark(Description = "RGBA → BGR planes, 224², per-pixel scalar loop (before)")]
    public float SplitScalar()
    {
        const int plane = Size * Size;
        var t = _tensor;
        for (var i = 0; i < plane; i++)
        {
            var p = _rgba[i];
            t[i] = (p >> 16) & 0xFF;
            t[plane + i] = (p >> 8) & 0xFF;
            t[(2 * plane) + i] = p & 0xFF;
        }

        return t[0];
    }

    [Benchmark(Description = "RGBA → BGR planes, 224², vectorised (after)")]
    public float SplitVector()
    {
        const int plane = Size * Size;
        for (var y = 0; y < Size; y++)
        {
            var o = y * Size;
            TilePreprocessor.SplitRow(_rgba.AsSpan(o, Size), _tensor.AsSpan(o, Size), _tensor.AsSpan(plane + o, Size), _tensor.AsSpan((2 * plane) + o, Size), 16, 0, 1f);
        }

        return _tensor[0];
    }
}
