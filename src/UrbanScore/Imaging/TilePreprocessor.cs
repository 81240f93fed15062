using System.Globalization;
using SkiaSharp;
using UrbanScore.Inference;

namespace UrbanScore.Imaging;

/// <summary>
/// Decodes an encoded tile (JPEG, PNG, WebP, GIF) with SkiaSharp and writes it as model input: centre square crop,
/// bilinear resize to the model size, NCHW planes in the model's channel order and value range
/// (Custom Vision: BGR, 0–255). Decodes JPEGs at a reduced scale when the tile is at least twice the model size.
/// Refuses images whose header claims more than <see cref="MaxPixels"/> pixels before allocating anything.
/// Holds reusable native bitmaps: one instance per worker thread, not thread-safe; dispose it when the worker ends.
/// </summary>
public sealed class TilePreprocessor : IDisposable
{
    /// <summary>Largest decoded image accepted, in pixels (4096 × 4096): a tile is 256–1024 px a side.</summary>
    public const long MaxPixels = 4096L * 4096L;

    private readonly ModelInputSpec _spec;
    private readonly SKBitmap _resized;
    private SKBitmap? _decoded;
    private SKBitmap? _ready;

    /// <summary>Creates a preprocessor for a model input layout.</summary>
    public TilePreprocessor(ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _resized = new SKBitmap(new SKImageInfo(spec.Width, spec.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
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

        var source = decoded;
        SKBitmap? cropped = null;
        try
        {
            if (decoded.Width != decoded.Height)
            {
                // Custom Vision crops the largest centred square before resizing; so do we, or scores drift from the trained ones.
                var side = Math.Min(decoded.Width, decoded.Height);
                cropped = new SKBitmap();
                decoded.ExtractSubset(cropped, SKRectI.Create((decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side));
                source = cropped;
            }

            if (source.Width == _spec.Width && source.Height == _spec.Height)
            {
                WritePlanes(source, destination);
            }
            else
            {
                source.ScalePixels(_resized, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                WritePlanes(_resized, destination);
            }
        }
        finally
        {
            cropped?.Dispose();
        }
    }

    private unsafe SKBitmap? DecodeBitmap(ReadOnlySpan<byte> encoded, out string? failure)
    {
        fixed (byte* pointer = encoded)
        {
            using var data = SKData.Create((IntPtr)pointer, encoded.Length);
            using var codec = SKCodec.Create(data);
            if (codec is null)
            {
                failure = "not a decodable image (unknown format or corrupt header)";
                return null;
            }

            var info = codec.Info;
            if ((long)info.Width * info.Height > MaxPixels || info.Width <= 0 || info.Height <= 0)
            {
                failure = string.Create(CultureInfo.InvariantCulture, $"image header claims {info.Width}×{info.Height} pixels, over the {MaxPixels}-pixel limit (decompression bomb?)");
                return null;
            }

            var size = info.Size;
            var shortSide = Math.Min(info.Width, info.Height);
            var target = Math.Max(_spec.Width, _spec.Height);
            if (shortSide >= 2 * target)
            {
                // libjpeg-turbo decodes at 1/2, 1/4, 1/8 scale almost for free; keep at least the model size.
                size = codec.GetScaledDimensions((float)target / shortSide);
            }

            var wanted = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            if (_decoded is null || _decoded.Width != wanted.Width || _decoded.Height != wanted.Height)
            {
                _decoded?.Dispose();
                _decoded = new SKBitmap(wanted);
            }

            var result = codec.GetPixels(wanted, _decoded.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                failure = "image could not be decoded (" + result.ToString() + ")";
                return null;
            }

            if (result == SKCodecResult.IncompleteInput)
            {
                failure = "image is truncated (incomplete data)";
                return null;
            }

            failure = null;
            return _decoded;
        }
    }

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

    private unsafe void WritePlanes(SKBitmap bitmap, Span<float> destination)
    {
        var width = _spec.Width;
        var height = _spec.Height;
        var planeSize = width * height;
        var scale = _spec.Scale;

        // Rgba8888 in memory: R at +0, B at +2. Custom Vision's BGR puts blue in plane 0.
        var firstOffset = _spec.ChannelOrder == ChannelOrder.Bgr ? 2 : 0;
        var lastOffset = 2 - firstOffset;
        var plane0 = destination[..planeSize];
        var plane1 = destination.Slice(planeSize, planeSize);
        var plane2 = destination.Slice(2 * planeSize, planeSize);

        // Rows are read with the bitmap's own stride: a cropped subset shares its parent's wider rows.
        var basePointer = (byte*)bitmap.GetPixels();
        var rowBytes = bitmap.RowBytes;
        for (var y = 0; y < height; y++)
        {
            var row = new ReadOnlySpan<byte>(basePointer + ((long)y * rowBytes), width * 4);
            var o = y * width;
            for (int x = 0, p = 0; x < width; x++, p += 4)
            {
                plane0[o + x] = row[p + firstOffset] * scale;
                plane1[o + x] = row[p + 1] * scale;
                plane2[o + x] = row[p + lastOffset] * scale;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _resized.Dispose();
        _decoded?.Dispose();
    }
}
