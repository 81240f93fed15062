using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SkiaSharp;
using UrbanScore.Inference;

namespace UrbanScore.Imaging;

/// <summary>
/// Decodes an encoded tile (JPEG, PNG, WebP, GIF) with SkiaSharp and writes it as model input: centre square crop,
/// then NCHW planes in the model's channel order and value range (Custom Vision: BGR, 0–255) — resampled bilinearly to
/// the model size straight into the planes (<c>BilinearPlanes</c>), or, when the tile already has the model's size or
/// with <see cref="InputFit.CentreCrop"/> (the centred window, no resampling), split by a vectorised RGBA → planar
/// loop. Decodes JPEGs at a reduced scale (libjpeg-turbo's DCT scaling) when the tile is at
/// least twice the model size. Allocates no managed memory per tile (the codec is driven through libSkiaSharp's C API,
/// <see cref="SkiaCodec"/>).
/// Refuses images whose header claims more than <see cref="MaxPixels"/> pixels before allocating anything.
/// Holds reusable native bitmaps: one instance per worker thread, not thread-safe; dispose it when the worker ends.
/// </summary>
public sealed class TilePreprocessor : IDisposable
{
    /// <summary>Largest decoded image accepted, in pixels (4096 × 4096): a tile is 256–1024 px a side.</summary>
    public const long MaxPixels = 4096L * 4096L;

    private readonly ModelInputSpec _spec;
    private readonly BilinearPlanes _resampler;
    private SKBitmap? _decoded;
    private SKBitmap? _ready;

    /// <summary>Creates a preprocessor for a model input layout.</summary>
    public TilePreprocessor(ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _resampler = new BilinearPlanes(spec.Width, spec.Height);
    }

    /// <summary>The layout written by <see cref="Fill"/>.</summary>
    public ModelInputSpec Spec => _spec;

    /// <summary>
    /// Decodes <paramref name="encoded"/> and writes <see cref="ModelInputSpec.ValuesPerImage"/> floats into
    /// <paramref name="destination"/> when the result is <see cref="DecodeStatus.Image"/>.
    /// </summary>
    public DecodeResult Fill(ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        var result = Decode(encoded);
        if (result.Status == DecodeStatus.Image)
        {
            WriteTensor(destination);
        }

        return result;
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/> into this instance's bitmap and classifies it. When the result is
    /// <see cref="DecodeStatus.Image"/>, call <see cref="WriteTensor"/> to write it (the pipeline reserves a batch slot
    /// only for images).
    /// </summary>
    public DecodeResult Decode(ReadOnlySpan<byte> encoded)
    {
        _ready = null;
        var decoded = DecodeBitmap(encoded, out var failure);
        if (decoded is null)
        {
            return new DecodeResult(DecodeStatus.Invalid, failure);
        }

        if (BlankReason(decoded) is { } blank)
        {
            return new DecodeResult(DecodeStatus.Blank, blank);
        }

        _ready = decoded;
        return DecodeResult.Image;
    }

    /// <summary>Writes the image decoded by the last successful <see cref="Decode"/> as model input.</summary>
    public void WriteTensor(Span<float> destination)
    {
        if (_ready is not { } decoded)
        {
            throw new InvalidOperationException("WriteTensor needs a successful Decode first.");
        }

        if (destination.Length < _spec.ValuesPerImage)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats, the model needs {_spec.ValuesPerImage}", nameof(destination));
        }

        if (_spec.Fit == InputFit.CentreCrop && decoded.Width >= _spec.Width && decoded.Height >= _spec.Height)
        {
            // The centred window, read in place: no resampling, no copy.
            WritePlanes(decoded, (decoded.Width - _spec.Width) / 2, (decoded.Height - _spec.Height) / 2, destination);
            return;
        }

        if (decoded.Width == _spec.Width && decoded.Height == _spec.Height)
        {
            WritePlanes(decoded, 0, 0, destination);
            return;
        }

        // Custom Vision crops the largest centred square before resizing; so do we, or scores drift from the trained
        // ones. The square is read in place (the decoded bitmap's stride), then resampled straight into the planes.
        var side = Math.Min(decoded.Width, decoded.Height);
        var (left, top) = ((decoded.Width - side) / 2, (decoded.Height - side) / 2);
        if (side == _spec.Width && side == _spec.Height)
        {
            WritePlanes(decoded, left, top, destination);
            return;
        }

        var (firstShift, lastShift) = Shifts();
        unsafe
        {
            var square = (byte*)decoded.GetPixels() + ((long)top * decoded.RowBytes) + (left * 4L);
            _resampler.Write(square, decoded.RowBytes, side, side, firstShift, lastShift, _spec.Scale, destination);
        }
    }

    private unsafe SKBitmap? DecodeBitmap(ReadOnlySpan<byte> encoded, out string? failure)
    {
        fixed (byte* pointer = encoded)
        {
            var data = SkiaCodec.DataWrap(pointer, (nuint)encoded.Length, IntPtr.Zero, IntPtr.Zero);
            var codec = SkiaCodec.CodecNew(data);
            try
            {
                if (codec == IntPtr.Zero)
                {
                    failure = "not a decodable image (unknown format or corrupt header)";
                    return null;
                }

                SkiaCodec.CodecInfo(codec, out var info);
                if (info.ColorSpace != IntPtr.Zero)
                {
                    SkiaCodec.ColorSpaceUnref(info.ColorSpace);
                }

                if ((long)info.Width * info.Height > MaxPixels || info.Width <= 0 || info.Height <= 0)
                {
                    failure = string.Create(CultureInfo.InvariantCulture, $"image header claims {info.Width}×{info.Height} pixels, over the {MaxPixels}-pixel limit (decompression bomb?)");
                    return null;
                }

                var width = info.Width;
                var height = info.Height;
                var shortSide = Math.Min(width, height);
                var target = Math.Max(_spec.Width, _spec.Height);
                if (shortSide >= 2 * target)
                {
                    // libjpeg-turbo decodes at 1/2, 1/4, 1/8 scale almost for free (DCT scaling); keep at least the
                    // model size.
                    SkiaCodec.CodecScaledDimensions(codec, (float)target / shortSide, out var scaled);
                    (width, height) = (scaled.Width, scaled.Height);
                }

                if (_decoded is null || _decoded.Width != width || _decoded.Height != height)
                {
                    _decoded?.Dispose();
                    _decoded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                }

                // No colour space: pixels as encoded, no colour conversion (as SkiaSharp's own decode with a null one).
                var wanted = new SkiaCodec.ImageInfo { Width = width, Height = height, ColorType = SkiaCodec.Rgba8888, AlphaType = SkiaCodec.Unpremul };
                var result = SkiaCodec.CodecGetPixels(codec, wanted, _decoded.GetPixels(), (nuint)_decoded.RowBytes, IntPtr.Zero);
                if (result == SkiaCodec.IncompleteInput)
                {
                    failure = "image is truncated (incomplete data)";
                    return null;
                }

                if (result != SkiaCodec.Success)
                {
                    failure = "image could not be decoded (" + ResultName(result) + ")";
                    return null;
                }

                failure = null;
                return _decoded;
            }
            finally
            {
                if (codec != IntPtr.Zero)
                {
                    SkiaCodec.CodecDestroy(codec);
                }

                SkiaCodec.DataUnref(data);
            }
        }
    }

    /// <summary>SkiaSharp's name for a codec result (the managed enum has the native values).</summary>
    private static string ResultName(int result) => ((SKCodecResult)result).ToString();

    private static string? BlankReason(SKBitmap bitmap)
    {
        var pixels = bitmap.GetPixelSpan();
        var anyOpaque = false;
        var first = BitConverter.ToUInt32(pixels[..4]);
        var single = true;
        for (var i = 0; i < pixels.Length; i += 4)
        {
            if (pixels[i + 3] != 0)
            {
                anyOpaque = true;
            }

            if (single && BitConverter.ToUInt32(pixels.Slice(i, 4)) != first)
            {
                single = false;
            }

            if (anyOpaque && !single)
            {
                return null;
            }
        }

        return !anyOpaque ? "fully transparent tile" : "single-colour tile";
    }

    private unsafe void WritePlanes(SKBitmap bitmap, int left, int top, Span<float> destination)
    {
        var width = _spec.Width;
        var height = _spec.Height;
        var planeSize = width * height;

        var (firstShift, lastShift) = Shifts();
        var plane0 = destination[..planeSize];
        var plane1 = destination.Slice(planeSize, planeSize);
        var plane2 = destination.Slice(2 * planeSize, planeSize);

        // Rows are read with the bitmap's own stride: a cropped subset or window shares its parent's wider rows.
        var basePointer = (byte*)bitmap.GetPixels() + ((long)top * bitmap.RowBytes) + (left * 4L);
        var rowBytes = bitmap.RowBytes;
        for (var y = 0; y < height; y++)
        {
            var row = new ReadOnlySpan<uint>(basePointer + ((long)y * rowBytes), width);
            var o = y * width;
            SplitRow(row, plane0.Slice(o, width), plane1.Slice(o, width), plane2.Slice(o, width), firstShift, lastShift, _spec.Scale);
        }
    }

    /// <summary>
    /// Bit positions of the first and last plane's channel in an Rgba8888 pixel read as a little-endian uint (R in bits
    /// 0–7, G 8–15, B 16–23). Custom Vision's BGR puts blue in plane 0.
    /// </summary>
    private (int First, int Last) Shifts() => _spec.ChannelOrder == ChannelOrder.Bgr ? (16, 0) : (0, 16);

    /// <summary>One row of RGBA pixels into three float planes: 8 (AVX2) or 4 (SSE/NEON) pixels per step.</summary>
    internal static void SplitRow(ReadOnlySpan<uint> row, Span<float> first, Span<float> middle, Span<float> last, int firstShift, int lastShift, float scale)
    {
        var x = 0;
        ref var pixels = ref MemoryMarshal.GetReference(row);
        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(0xFFu);
            var factor = Vector256.Create(scale);
            for (; x <= row.Length - Vector256<uint>.Count; x += Vector256<uint>.Count)
            {
                var v = Vector256.LoadUnsafe(ref pixels, (nuint)x);
                (Vector256.ConvertToSingle(((v >>> firstShift) & mask).AsInt32()) * factor).CopyTo(first[x..]);
                (Vector256.ConvertToSingle(((v >>> 8) & mask).AsInt32()) * factor).CopyTo(middle[x..]);
                (Vector256.ConvertToSingle(((v >>> lastShift) & mask).AsInt32()) * factor).CopyTo(last[x..]);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var mask = Vector128.Create(0xFFu);
            var factor = Vector128.Create(scale);
            for (; x <= row.Length - Vector128<uint>.Count; x += Vector128<uint>.Count)
            {
                var v = Vector128.LoadUnsafe(ref pixels, (nuint)x);
                (Vector128.ConvertToSingle(((v >>> firstShift) & mask).AsInt32()) * factor).CopyTo(first[x..]);
                (Vector128.ConvertToSingle(((v >>> 8) & mask).AsInt32()) * factor).CopyTo(middle[x..]);
                (Vector128.ConvertToSingle(((v >>> lastShift) & mask).AsInt32()) * factor).CopyTo(last[x..]);
            }
        }

        for (; x < row.Length; x++)
        {
            var p = row[x];
            first[x] = ((p >> firstShift) & 0xFF) * scale;
            middle[x] = ((p >> 8) & 0xFF) * scale;
            last[x] = ((p >> lastShift) & 0xFF) * scale;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _decoded?.Dispose();
    }
}
