using UrbanScore.Inference;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

/// <summary>
/// The probe models output model_output[c*4 + y*2 + x] = input[c, y, x] / 256 for a 2×2 input, so the scores are the
/// exact tensor the preprocessing wrote: plane order and value range checked pixel by pixel, end to end from the
/// model's metadata through <see cref="Imaging.TilePreprocessor"/> and the scorer.
/// </summary>
public sealed class PreprocessingProbeTests
{
    // Every channel of every pixel distinct: R = 10.., G = 100.., B = 200.. plus 1 per x and 2 per y.
    private static (byte R, byte G, byte B) Pixel(int x, int y) =>
        ((byte)(10 + x + (2 * y)), (byte)(100 + x + (2 * y)), (byte)(200 + x + (2 * y)));

    public static TheoryData<string, bool, float> Probes => new()
    {
        { "probe-default", false, 1f },
        { "probe-rgb", true, 1f },
        { "probe-0-1", false, 1f / 255f },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public void Score_ProbeModel_SeesPlanesInMetadataOrderAndRange(string model, bool rgb, float scale)
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(Model(model)));

        var scores = Score(scorer, Png(2, 2, Pixel));

        AssertPlanes(scores, rgb, scale, xOffset: 0);
    }

    [Fact]
    public void Score_NonSquareImage_IsCentreCroppedBeforeScoring()
    {
        using var scorer = new OnnxTileScorer(ModelInspector.Inspect(Model("probe-default")));

        // 4×2: the centre 2×2 square is columns 1 and 2.
        var scores = Score(scorer, Png(4, 2, (x, y) => Pixel(x - 1, y)));

        AssertPlanes(scores, rgb: false, scale: 1f, xOffset: 0);
    }

    private static void AssertPlanes(float[] scores, bool rgb, float scale, int xOffset)
    {
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 2; y++)
            {
                for (var x = 0; x < 2; x++)
                {
                    var (r, g, b) = Pixel(x + xOffset, y);
                    var value = c == 1 ? g : (c == 0) == rgb ? r : b;
                    Assert.Equal(value * scale / 256f, scores[(c * 4) + (y * 2) + x], 1e-6f);
                }
            }
        }
    }
}
