using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UrbanScore.Imaging;

/// <summary>
/// Bilinear resampling of an RGBA image straight into the model's three float planes, in one pass: the sampling of
/// SkiaSharp's <c>SKFilterMode.Linear</c> without mipmaps (a destination pixel's centre maps to
/// <c>(x + 0.5) × source ÷ destination − 0.5</c> in the source, edges clamped), computed in float instead of Skia's
/// 8-bit fixed point, so values differ from Skia's by at most about one level in 0–255.
/// </summary>
/// <remarks>
/// Why not Skia: its raster pipeline resampled through an RGBA bitmap and then split it into planes, and the
/// resample alone cost more CPU than decoding the JPEG (docs/performance.md). Here each needed source row is
/// resampled horizontally once (8 pixels per step with AVX2 gathers) into a float row; the two rows a destination row
/// blends are cached, so a downscale like 256 → 224 touches each source row once; the vertical blend and the scale are
/// one fused multiply-add per value, written into the planes. Not thread-safe: one instance per preprocessor. Buffers
/// are allocated when the source or destination size changes, never per tile.
/// </remarks>
internal sealed class BilinearPlanes
{
    private readonly int _width;
    private readonly int _height;
    private readonly int[] _x0;
    private readonly int[] _x1;
    private readonly float[] _wx;
    private readonly int[] _y0;
    private readonly int[] _y1;
    private readonly float[] _wy;
    private float[] _upper;
    private float[] _lower;
    private int _sourceWidth = -1;
    private int _sourceHeight = -1;

    /// <summary>Creates a resampler to <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public BilinearPlanes(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _width = width;
        _height = height;
        _x0 = new int[width];
        _x1 = new int[width];
        _wx = new float[width];
        _y0 = new int[height];
        _y1 = new int[height];
        _wy = new float[height];
        _upper = new float[3 * width];
        _lower = new float[3 * width];
    }

    /// <summary>
    /// Resamples the <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> RGBA image at
    /// <paramref name="pixels"/> (rows <paramref name="rowBytes"/> apart) into three planes of
    /// <paramref name="destination"/>: the channel at bit <paramref name="firstShift"/> first, green, then the channel
    /// at <paramref name="lastShift"/>, each value multiplied by <paramref name="scale"/>.
    /// </summary>
    public unsafe void Write(byte* pixels, int rowBytes, int sourceWidth, int sourceHeight, int firstShift, int lastShift, float scale, Span<float> destination)
    {
        if (destination.Length < 3 * _width * _height)
        {
            throw new ArgumentException("destination is smaller than three planes", nameof(destination));
        }

        if (sourceWidth != _sourceWidth || sourceHeight != _sourceHeight)
        {
            Taps(sourceWidth, _x0, _x1, _wx);
            Taps(sourceHeight, _y0, _y1, _wy);
            (_sourceWidth, _sourceHeight) = (sourceWidth, sourceHeight);
        }

        var plane = _width * _height;
        int upperRow = -1, lowerRow = -1;
        for (var y = 0; y < _height; y++)
        {
            var (top, bottom) = (_y0[y], _y1[y]);
            if (top != upperRow)
            {
                if (top == lowerRow)
                {
                    (_upper, _lower) = (_lower, _upper);
                    (upperRow, lowerRow) = (lowerRow, upperRow);
                }
                else
                {
                    Horizontal((uint*)(pixels + ((long)top * rowBytes)), _upper, firstShift, lastShift);
                    upperRow = top;
                }
            }

            if (bottom != lowerRow)
            {
                Horizontal((uint*)(pixels + ((long)bottom * rowBytes)), _lower, firstShift, lastShift);
                lowerRow = bottom;
            }

            var o = y * _width;
            Vertical(_upper.AsSpan(0, _width), _lower.AsSpan(0, _width), _wy[y], scale, destination.Slice(o, _width));
            Vertical(_upper.AsSpan(_width, _width), _lower.AsSpan(_width, _width), _wy[y], scale, destination.Slice(plane + o, _width));
            Vertical(_upper.AsSpan(2 * _width, _width), _lower.AsSpan(2 * _width, _width), _wy[y], scale, destination.Slice((2 * plane) + o, _width));
        }
    }

    /// <summary>The two source indices and the weight of the second for each destination index (clamped at the edges).</summary>
    private static void Taps(int source, int[] first, int[] second, float[] weight)
    {
        var ratio = (double)source / first.Length;
        for (var i = 0; i < first.Length; i++)
        {
            var at = Math.Clamp(((i + 0.5) * ratio) - 0.5, 0, source - 1);
            var low = (int)Math.Floor(at);
            first[i] = low;
            second[i] = Math.Min(low + 1, source - 1);
            weight[i] = (float)(at - low);
        }
    }

    /// <summary>One source row resampled to the destination width: three float rows, unscaled 0–255.</summary>
    private unsafe void Horizontal(uint* row, float[] output, int firstShift, int lastShift)
    {
        var width = _width;
        var x = 0;
        if (Avx2.IsSupported)
        {
            fixed (int* x0 = _x0, x1 = _x1)
            fixed (float* wx = _wx, o = output)
            {
                var mask = Vector256.Create(0xFFu);
                for (; x <= width - 8; x += 8)
                {
                    var left = Avx2.GatherVector256((int*)row, Avx.LoadVector256(x0 + x), 4).AsUInt32();
                    var right = Avx2.GatherVector256((int*)row, Avx.LoadVector256(x1 + x), 4).AsUInt32();
                    var w = Avx.LoadVector256(wx + x);
                    Avx.Store(o + x, Lerp(left, right, firstShift, mask, w));
                    Avx.Store(o + width + x, Lerp(left, right, 8, mask, w));
                    Avx.Store(o + (2 * width) + x, Lerp(left, right, lastShift, mask, w));
                }
            }
        }

        for (; x < width; x++)
        {
            var (left, right, w) = (row[_x0[x]], row[_x1[x]], _wx[x]);
            output[x] = Lerp(left, right, firstShift, w);
            output[width + x] = Lerp(left, right, 8, w);
            output[(2 * width) + x] = Lerp(left, right, lastShift, w);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lerp(Vector256<uint> left, Vector256<uint> right, int shift, Vector256<uint> mask, Vector256<float> w)
    {
        var a = Vector256.ConvertToSingle(((left >>> shift) & mask).AsInt32());
        var b = Vector256.ConvertToSingle(((right >>> shift) & mask).AsInt32());
        return a + ((b - a) * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lerp(uint left, uint right, int shift, float w)
    {
        float a = (left >> shift) & 0xFF;
        float b = (right >> shift) & 0xFF;
        return a + ((b - a) * w);
    }

    /// <summary>(upper + (lower − upper) × w) × scale for one destination row of one plane.</summary>
    private static void Vertical(ReadOnlySpan<float> upper, ReadOnlySpan<float> lower, float w, float scale, Span<float> output)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var up = MemoryMarshal.Cast<float, Vector<float>>(upper);
            var down = MemoryMarshal.Cast<float, Vector<float>>(lower);
            var result = MemoryMarshal.Cast<float, Vector<float>>(output);
            var (weight, factor) = (new Vector<float>(w), new Vector<float>(scale));
            for (var i = 0; i < up.Length; i++)
            {
                result[i] = (up[i] + ((down[i] - up[i]) * weight)) * factor;
            }

            x = up.Length * Vector<float>.Count;
        }

        for (; x < output.Length; x++)
        {
            output[x] = (upper[x] + ((lower[x] - upper[x]) * w)) * scale;
        }
    }
}
