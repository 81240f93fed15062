using SkiaSharp;
using UrbanScore.Imaging;
using UrbanScore.Inference;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Imaging;

public sealed class TilePreprocessorTests
{
    private static readonly SKColor[] s_quad = [new(10, 20, 30), new(40, 50, 60), new(70, 80, 90), new(100, 110, 120)];

    private static byte[] Quad() => TestImages.FromFunction(2, 2, (x, y) => s_quad[(y * 2) + x]);

    [Fact]
    public void Fill_BgrRange255_WritesBluePlaneFirstWithRawValues()
    {
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(2, 2, ChannelOrder.Bgr, 1f));
        var tensor = new float[12];

        var result = preprocessor.Fill(Quad(), tensor);

        Assert.Equal(DecodeStatus.Image, result.Status);
        Assert.Equal([30f, 60f, 90f, 120f], tensor[..4]);
        Assert.Equal([20f, 50f, 80f, 110f], tensor[4..8]);
        Assert.Equal([10f, 40f, 70f, 100f], tensor[8..12]);
    }

    [Fact]
    public void Fill_RgbRange01_WritesRedPlaneFirstScaled()
    {
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(2, 2, ChannelOrder.Rgb, 1f / 255f));
        var tensor = new float[12];

        preprocessor.Fill(Quad(), tensor);

        Assert.Equal(10f / 255f, tensor[0], 1e-6f);
        Assert.Equal(120f / 255f, tensor[11], 1e-6f);
    }

    [Fact]
    public void Fill_NonSquareImage_CropsCentreSquare()
    {
        // 4×2 image: left and right columns black, the centre 2×2 is the quad. The crop must keep only the quad.
        var png = TestImages.FromFunction(4, 2, (x, y) => x is 0 or 3 ? SKColors.Black : s_quad[(y * 2) + x - 1]);
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(2, 2, ChannelOrder.Rgb, 1f));
        var tensor = new float[12];

        preprocessor.Fill(png, tensor);

        Assert.Equal([10f, 40f, 70f, 100f], tensor[..4]);
    }

    [Fact]
    public void Fill_ResizesBilinearlyToModelSize()
    {
        // A 256-px tile of one colour plus a stripe: the 8-px result keeps the flat colour away from the stripe.
        var png = TestImages.FromFunction(256, 256, (x, _) => x < 128 ? new SKColor(200, 0, 0) : new SKColor(0, 0, 200));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Rgb, 1f));
        var tensor = new float[3 * 64];

        preprocessor.Fill(png, tensor);

        Assert.Equal(200f, tensor[0], 1f);
        Assert.Equal(0f, tensor[7], 1f);
        Assert.Equal(200f, tensor[128 + 7], 1f);
    }

    [Fact]
    public void Decode_FullyTransparentPng_IsBlank()
    {
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Bgr, 1f));

        var result = preprocessor.Decode(TestImages.Flat(0, 0, 0, alpha: 0));

        Assert.Equal(DecodeStatus.Blank, result.Status);
        Assert.Contains("transparent", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SingleColourTile_IsBlank()
    {
        var png = TestImages.FromFunction(16, 16, (_, _) => new SKColor(250, 250, 250));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Bgr, 1f));

        Assert.Equal(DecodeStatus.Blank, preprocessor.Decode(png).Status);
    }

    [Fact]
    public void Decode_TruncatedJpeg_IsInvalid()
    {
        var jpeg = TestImages.FromFunction(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 0));
        using var bitmap = SKBitmap.Decode(jpeg);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        var truncated = data.ToArray()[..(int)(data.Size / 2)];
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Bgr, 1f));

        var result = preprocessor.Decode(truncated);

        Assert.Equal(DecodeStatus.Invalid, result.Status);
    }

    [Fact]
    public void Decode_JpegHeaderClaiming60000Pixels_IsRefusedBeforeDecoding()
    {
        using var bitmap = new SKBitmap(16, 16);
        bitmap.Erase(SKColors.Green);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = data.ToArray();

        // Patch the SOF0 frame header (FF C0, length, precision, height, width) to claim 60000 × 60000.
        var sof = FindMarker(jpeg, 0xC0);
        jpeg[sof + 5] = 0xEA;
        jpeg[sof + 6] = 0x60;
        jpeg[sof + 7] = 0xEA;
        jpeg[sof + 8] = 0x60;
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Bgr, 1f));

        var result = preprocessor.Decode(jpeg);

        Assert.Equal(DecodeStatus.Invalid, result.Status);
        Assert.Contains("60000", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NotAnImage_IsInvalid()
    {
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(8, 8, ChannelOrder.Bgr, 1f));

        Assert.Equal(DecodeStatus.Invalid, preprocessor.Decode("<html>nope</html>"u8).Status);
    }

    private static int FindMarker(byte[] jpeg, byte marker)
    {
        for (var i = 2; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException("marker not found");
    }

    [Fact]
    public void Fill_CentreCropFit_WritesTheCentredWindowWithoutResampling()
    {
        // 20×20 PNG whose every pixel encodes its position; a 16×16 model takes the window from (2, 2) unchanged.
        var png = TestImages.FromFunction(20, 20, (x, y) => new SKColor((byte)(x * 10), (byte)(y * 10), (byte)((x + y) * 5)));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(16, 16, ChannelOrder.Rgb, 1f) { Fit = InputFit.CentreCrop });
        var tensor = new float[3 * 256];

        Assert.Equal(DecodeStatus.Image, preprocessor.Fill(png, tensor).Status);

        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                Assert.Equal((x + 2) * 10f, tensor[(y * 16) + x]);
                Assert.Equal((y + 2) * 10f, tensor[256 + (y * 16) + x]);
                Assert.Equal((x + y + 4) * 5f, tensor[512 + (y * 16) + x]);
            }
        }
    }

    [Fact]
    public void Fill_CentreCropFitOnASmallerTile_FallsBackToResize()
    {
        // An 8 px tile for a 16 px model: upscaled whole (left half blue 30, right half blue 130), not cropped.
        var png = TestImages.FromFunction(8, 8, (x, _) => new SKColor(90, 60, (byte)(x < 4 ? 30 : 130)));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(16, 16, ChannelOrder.Bgr, 1f) { Fit = InputFit.CentreCrop });
        var tensor = new float[3 * 256];

        Assert.Equal(DecodeStatus.Image, preprocessor.Fill(png, tensor).Status);

        Assert.Equal(30f, tensor[0]);
        Assert.Equal(130f, tensor[15]);
        Assert.All(tensor[512..], v => Assert.Equal(90f, v));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(224)]
    public void SplitRow_AnyWidth_MatchesThePerPixelDefinition(int width)
    {
        var random = new Random(width);
        var row = Enumerable.Range(0, width).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();
        var planes = new float[3 * width];

        TilePreprocessor.SplitRow(row, planes.AsSpan(0, width), planes.AsSpan(width, width), planes.AsSpan(2 * width, width), firstShift: 16, lastShift: 0, scale: 0.5f);

        for (var x = 0; x < width; x++)
        {
            Assert.Equal(((row[x] >> 16) & 0xFF) * 0.5f, planes[x]);
            Assert.Equal(((row[x] >> 8) & 0xFF) * 0.5f, planes[width + x]);
            Assert.Equal((row[x] & 0xFF) * 0.5f, planes[(2 * width) + x]);
        }
    }

    [Theory]
    [InlineData("fixtures/imagery/ucmerced/denseresidential")]
    [InlineData("fixtures/imagery/ucmerced/forest")]
    public void Fill_RealJpeg_EqualsSkiaSharpsOwnDecode(string folder)
    {
        // The C-API decode (no managed wrappers) must give exactly SkiaSharp's pixels: same layout, same channel order.
        var jpeg = File.ReadAllBytes(Directory.GetFiles(SharedFixtures.Require(folder), "*.jpg").Order(StringComparer.Ordinal).First());
        using var reference = SKBitmap.Decode(jpeg, new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(256, 256, ChannelOrder.Rgb, 1f));
        var tensor = new float[3 * 256 * 256];

        Assert.Equal(DecodeStatus.Image, preprocessor.Fill(jpeg, tensor).Status);

        for (var i = 0; i < 256 * 256; i += 97)
        {
            var pixel = reference.GetPixel(i % 256, i / 256);
            Assert.Equal((pixel.Red, pixel.Green, pixel.Blue), ((byte)tensor[i], (byte)tensor[65536 + i], (byte)tensor[131072 + i]));
        }
    }

    [Fact]
    public void Fill_ManyTiles_AllocatesNothingPerTileOnceWarm()
    {
        var tiles = Enumerable.Range(0, 4).Select(i => TestImages.FromFunction(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4 + i), 90))).ToArray();
        using var preprocessor = new TilePreprocessor(new ModelInputSpec(32, 32, ChannelOrder.Bgr, 1f));
        var tensor = new float[3 * 32 * 32];
        foreach (var tile in tiles)
        {
            preprocessor.Fill(tile, tensor);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            preprocessor.Fill(tiles[i & 3], tensor);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
