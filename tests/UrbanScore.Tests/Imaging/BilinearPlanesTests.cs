using SkiaSharp;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Imaging;

public sealed class BilinearPlanesTests
{
    [Theory]
    [InlineData(256, 256, 224, 224)] // the common case: a 256 px tile, a 224 px model
    [InlineData(300, 200, 224, 224)] // a wide image: the centred 200 px square is resampled
    [InlineData(64, 64, 224, 224)] // upsampling
    [InlineData(256, 256, 8, 8)] // a strong downscale
    [InlineData(250, 250, 37, 21)] // odd sizes, a non-square model (scalar tails of every loop)
    public void Fill_Resize_MatchesSkiasLinearScaleWithinOneLevel(int width, int height, int modelWidth, int modelHeight)
    {
        var random = new Random(width * 31 + modelWidth);
        var noise = Enumerable.Range(0, width * height).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        var png = TestImages.FromFunction(width, height, (x, y) => noise[(y * width) + x]);
        var reference = SkiaResize(png, modelWidth, modelHeight);
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(modelWidth, modelHeight, ChannelOrder.Rgb, 1f));
        var tensor = new float[3 * modelWidth * modelHeight];

        Assert.Equal(DecodeStatus.Image, preprocessor.Fill(png, tensor).Status);

        AssertWithinOneLevel(reference, tensor, modelWidth * modelHeight);
    }

    [Theory]
    [InlineData("fixtures/imagery/ucmerced/denseresidential")]
    [InlineData("fixtures/imagery/ucmerced/agricultural")]
    public void Fill_RealJpegTo224_MatchesSkiasLinearScaleWithinOneLevel(string folder)
    {
        var jpeg = File.ReadAllBytes(Directory.GetFiles(SharedFixtures.Require(folder), "*.jpg").Order(StringComparer.Ordinal).First());
        var reference = SkiaResize(jpeg, 224, 224);
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(224, 224, ChannelOrder.Bgr, 1f));
        var tensor = new float[3 * 224 * 224];

        Assert.Equal(DecodeStatus.Image, preprocessor.Fill(jpeg, tensor).Status);

        // BGR: plane 0 is blue. Swap the reference's planes to compare.
        const int plane = 224 * 224;
        var bgr = new float[3 * plane];
        reference.AsSpan(2 * plane, plane).CopyTo(bgr);
        reference.AsSpan(plane, plane).CopyTo(bgr.AsSpan(plane));
        reference.AsSpan(0, plane).CopyTo(bgr.AsSpan(2 * plane));
        AssertWithinOneLevel(bgr, tensor, plane);
    }

    [Fact]
    public void Fill_TwoDifferentImagesInTurn_DoesNotReuseTheFirstImagesRows()
    {
        // The resampler caches source rows between destination rows; a second image must not see the first's.
        var red = TestImages.FromFunction(256, 256, (x, y) => new SKColor(200, (byte)x, (byte)y));
        var blue = TestImages.FromFunction(256, 256, (x, y) => new SKColor((byte)y, (byte)x, 200));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(224, 224, ChannelOrder.Rgb, 1f));
        var first = new float[3 * 224 * 224];
        var again = new float[3 * 224 * 224];
        preprocessor.Fill(blue, first);

        preprocessor.Fill(red, again);
        preprocessor.Fill(blue, again);

        Assert.Equal(first, again);
    }

    /// <summary>The independent computation: SkiaSharp's decode, centred square, SKFilterMode.Linear scale, RGB planes.</summary>
    private static float[] SkiaResize(byte[] encoded, int width, int height)
    {
        var bounds = SKBitmap.DecodeBounds(encoded);
        using var decoded = SKBitmap.Decode(encoded, new SKImageInfo(bounds.Width, bounds.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var side = Math.Min(decoded.Width, decoded.Height);
        using var square = new SKBitmap();
        Assert.True(decoded.ExtractSubset(square, SKRectI.Create((decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side)));
        using var resized = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var from = square.PeekPixels();
        using var to = resized.PeekPixels();
        Assert.True(from.ScalePixels(to, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)));
        var plane = width * height;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            var pixel = resized.GetPixel(i % width, i / width);
            (planes[i], planes[plane + i], planes[(2 * plane) + i]) = (pixel.Red, pixel.Green, pixel.Blue);
        }

        return planes;
    }

    private static void AssertWithinOneLevel(float[] expected, float[] actual, int plane)
    {
        var worst = 0f;
        double total = 0;
        for (var i = 0; i < 3 * plane; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            worst = Math.Max(worst, difference);
            total += difference;
        }

        // Skia blends in 8-bit fixed point and rounds; this resampler blends in float: a level apart at most.
        Assert.True(worst <= 1.5f, $"largest difference {worst} levels");
        Assert.True(total / (3 * plane) < 0.6, $"mean difference {total / (3 * plane):0.###} levels");
    }
}
