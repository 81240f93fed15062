using SkiaSharp;

namespace UrbanScore.Tests.TestSupport;

/// <summary>Small encoded images made in tests.</summary>
internal static class TestImages
{
    /// <summary>A flat-colour image with one pixel changed (so it is not "blank"), encoded as JPEG or PNG.</summary>
    public static byte[] Flat(byte r, byte g, byte b, int size = 256, SKEncodedImageFormat format = SKEncodedImageFormat.Png, byte alpha = 255)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(r, g, b, alpha));
        if (alpha != 0)
        {
            bitmap.SetPixel(0, 0, new SKColor((byte)(r ^ 0x01), g, b, alpha));
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>An image where every pixel is defined by a function, encoded as PNG (lossless).</summary>
    public static byte[] FromFunction(int width, int height, Func<int, int, SKColor> pixel)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, pixel(x, y));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
