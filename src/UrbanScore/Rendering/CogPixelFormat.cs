using BitMiracle.LibTiff.Classic;

namespace UrbanScore.Rendering;

/// <summary>
/// What differs between the two COG products: the pixel tags, how a score becomes a pixel, the padding value and
/// the 2×2 overview reduction. Every pixel is 4 bytes (one Float32 sample or four 8-bit samples), handled as a
/// <see cref="uint"/> in native (little-endian, TIFF "II") byte order.
/// </summary>
internal abstract class CogPixelFormat
{
    /// <summary>Side of a TIFF tile in pixels (COG: 256 or 512; 256 keeps overview tiles aligned with map tiles).</summary>
    public const int TileSize = 256;

    /// <summary>Pixels in one TIFF tile.</summary>
    public const int TilePixels = TileSize * TileSize;

    /// <summary>Bytes in one uncompressed TIFF tile (4 bytes per pixel in both products).</summary>
    public const int TileBytes = TilePixels * sizeof(uint);

    /// <summary>The pixel written where there is no data, and as padding right and below the image.</summary>
    public abstract uint NoDataPixel { get; }

    /// <summary>Whether tiles use TIFF predictor 2 (horizontal differencing per 8-bit sample).</summary>
    public abstract bool HorizontalPredictor { get; }

    /// <summary>The pixel of one tile's score (NaN = no data). Called from the writing thread only.</summary>
    public abstract uint ToPixel(float score);

    /// <summary>Sets the sample tags of one IFD (bits, samples, photometric, predictor, nodata).</summary>
    public abstract void SetSampleTags(Tiff tiff);

    /// <summary>
    /// Reduces one source tile 2×2 into a 128×128 quadrant of an overview tile. Only the top-left
    /// <paramref name="validWidth"/> × <paramref name="validHeight"/> source pixels are inside the image; outputs that see
    /// none of them are left untouched.
    /// </summary>
    public abstract void Downsample(ReadOnlySpan<uint> source, int validWidth, int validHeight, Span<uint> destination, int destX, int destY);

    /// <summary>Float32 scores, one band, nodata -9999 (GDAL_NODATA), overviews = mean of the valid pixels.</summary>
    internal sealed class Float32Scores : CogPixelFormat
    {
        /// <summary>The nodata value written in GDAL_NODATA and in the pixels.</summary>
        public const float NoDataValue = -9999f;

        private static readonly uint s_noData = BitConverter.SingleToUInt32Bits(NoDataValue);

        public override uint NoDataPixel => s_noData;

        // Map-tile scores are block-constant over N×N pixels; predictor 3 made Deflate larger on such data
        // (GDAL reads none there), so none.
        public override bool HorizontalPredictor => false;

        public override uint ToPixel(float score) => float.IsNaN(score) ? s_noData : BitConverter.SingleToUInt32Bits(score);

        public override void SetSampleTags(Tiff tiff)
        {
            tiff.SetField(TiffTag.BITSPERSAMPLE, 32);
            tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
            tiff.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.IEEEFP);
            tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
            tiff.SetField(TiffTag.PREDICTOR, Predictor.NONE);

            // GDAL writes the nodata tag into overview IFDs too (checked against gdalinfo in the tests).
            tiff.SetField(TiffLibrary.GdalNodata, "-9999");
        }

        public override void Downsample(ReadOnlySpan<uint> source, int validWidth, int validHeight, Span<uint> destination, int destX, int destY)
        {
            var outWidth = (validWidth + 1) / 2;
            var outHeight = (validHeight + 1) / 2;
            for (var oy = 0; oy < outHeight; oy++)
            {
                var sy = 2 * oy;
                var rowCount = sy + 1 < validHeight ? 2 : 1;
                var dest = destination.Slice(((destY + oy) * TileSize) + destX, outWidth);
                for (var ox = 0; ox < outWidth; ox++)
                {
                    var sx = 2 * ox;
                    var colCount = sx + 1 < validWidth ? 2 : 1;
                    var sum = 0.0;
                    var count = 0;
                    for (var dy = 0; dy < rowCount; dy++)
                    {
                        var row = (sy + dy) * TileSize;
                        for (var dx = 0; dx < colCount; dx++)
                        {
                            var value = BitConverter.UInt32BitsToSingle(source[row + sx + dx]);
                            if (value != NoDataValue && !float.IsNaN(value))
                            {
                                sum += value;
                                count++;
                            }
                        }
                    }

                    dest[ox] = count == 0 ? s_noData : BitConverter.SingleToUInt32Bits((float)(sum / count));
                }
            }
        }
    }

    /// <summary>
    /// RGBA 8-bit with unassociated alpha (EXTRASAMPLES=2), transparent 0,0,0,0 for no data, overviews = alpha-weighted
    /// mean colour and mean alpha (the correct average for straight alpha: transparent pixels add no colour).
    /// </summary>
    internal sealed class Rgba8Heatmap(GeoTiffPalette palette) : CogPixelFormat
    {
        private readonly byte[] _rgba = new byte[4];

        public override uint NoDataPixel => 0;

        public override bool HorizontalPredictor => true;

        public override uint ToPixel(float score)
        {
            if (float.IsNaN(score))
            {
                return 0;
            }

            _rgba.AsSpan().Clear();
            palette(score, _rgba);
            return BitConverter.ToUInt32(_rgba);
        }

        public override void SetSampleTags(Tiff tiff)
        {
            tiff.SetField(TiffTag.BITSPERSAMPLE, 8);
            tiff.SetField(TiffTag.SAMPLESPERPIXEL, 4);
            tiff.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.UINT);
            tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.RGB);
            tiff.SetField(TiffTag.EXTRASAMPLES, 1, new short[] { (short)ExtraSample.UNASSALPHA });
            tiff.SetField(TiffTag.PREDICTOR, Predictor.HORIZONTAL);
        }

        public override void Downsample(ReadOnlySpan<uint> source, int validWidth, int validHeight, Span<uint> destination, int destX, int destY)
        {
            var outWidth = (validWidth + 1) / 2;
            var outHeight = (validHeight + 1) / 2;
            for (var oy = 0; oy < outHeight; oy++)
            {
                var sy = 2 * oy;
                var rowCount = sy + 1 < validHeight ? 2 : 1;
                var dest = destination.Slice(((destY + oy) * TileSize) + destX, outWidth);
                for (var ox = 0; ox < outWidth; ox++)
                {
                    var sx = 2 * ox;
                    var colCount = sx + 1 < validWidth ? 2 : 1;
                    int r = 0, g = 0, b = 0, a = 0;
                    for (var dy = 0; dy < rowCount; dy++)
                    {
                        var row = (sy + dy) * TileSize;
                        for (var dx = 0; dx < colCount; dx++)
                        {
                            var p = source[row + sx + dx];
                            var alpha = (int)(p >> 24);
                            r += (int)(p & 0xFF) * alpha;
                            g += (int)((p >> 8) & 0xFF) * alpha;
                            b += (int)((p >> 16) & 0xFF) * alpha;
                            a += alpha;
                        }
                    }

                    if (a == 0)
                    {
                        dest[ox] = 0;
                        continue;
                    }

                    var n = rowCount * colCount;
                    var half = a / 2;
                    var outA = (uint)(((2 * a) + n) / (2 * n));
                    dest[ox] = (uint)((r + half) / a) | ((uint)((g + half) / a) << 8) | ((uint)((b + half) / a) << 16) | (outA << 24);
                }
            }
        }
    }
}
