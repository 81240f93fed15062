using SkiaSharp;
using UrbanScore.Imaging;
using UrbanScore.Inference;

namespace UrbanScore.Tests.Inference;

/// <summary>The generated models in TestData/models (see make_models.py) and small helpers to build and score images.</summary>
internal static class InferenceTestData
{
    public const string CatOrDog = "fixtures/customvision/cat-or-dog_2018-10-18_1184d18.onnx";
    public const string Kitten = "fixtures/customvision/kitten_224.png";
    public const string Computer = "fixtures/customvision/Computer_00c877c.onnx";
    public const string Sidecars2020 = "fixtures/customvision/export-2020-sidecars";
    public const string CityModel = "fixtures/models/sqz_city_cv.onnx";
    public const string UcMerced = "fixtures/imagery/ucmerced";

    /// <summary>Path of TestData/models/<paramref name="name"/>/model.onnx in the test output folder.</summary>
    public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "models", name, "model.onnx");

    /// <summary>A PNG of <paramref name="width"/>×<paramref name="height"/> opaque pixels from <paramref name="pixel"/>(x, y) → (r, g, b).</summary>
    public static byte[] Png(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b, 255));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A 16×16 image of one colour with one pixel slightly off (a single-colour tile counts as blank).</summary>
    public static byte[] Solid(byte r, byte g, byte b) =>
        Png(16, 16, (x, y) => x == 0 && y == 0 ? ((byte)(r ^ 1), g, b) : (r, g, b));

    /// <summary>Preprocesses <paramref name="images"/> for <paramref name="spec"/> into one back-to-back buffer.</summary>
    public static float[] Preprocess(ModelInputSpec spec, params byte[][] images)
    {
        var buffer = new float[images.Length * spec.ValuesPerImage];
        using var preprocessor = new TilePreprocessor(spec);
        for (var i = 0; i < images.Length; i++)
        {
            var result = preprocessor.Fill(images[i], buffer.AsSpan(i * spec.ValuesPerImage, spec.ValuesPerImage));
            Assert.Equal(DecodeStatus.Image, result.Status);
        }

        return buffer;
    }

    /// <summary>Scores <paramref name="images"/> in one call and returns the image-major scores.</summary>
    public static float[] Score(ITileScorer scorer, params byte[][] images)
    {
        var input = Preprocess(scorer.Input, images);
        var scores = new float[images.Length * scorer.Labels.Count];
        scorer.Score(input, images.Length, scores);
        return scores;
    }

    /// <summary>The score of <paramref name="label"/> for image <paramref name="image"/>.</summary>
    public static float Of(ITileScorer scorer, float[] scores, string label, int image = 0) =>
        scores[(image * scorer.Labels.Count) + IndexOf(scorer.Labels, label)];

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }

        throw new ArgumentException("no label " + label, nameof(label));
    }
}
