using System.Globalization;
using UrbanScore.Inference;
using UrbanScore.Tests.TestSupport;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

public sealed class CityModelUcMercedTests
{
    // The classes sqz_city_cv.onnx was trained to call city / not city (fixtures/README.md).
    private static readonly string[] s_urban =
        ["buildings", "denseresidential", "mediumresidential", "sparseresidential", "mobilehomepark", "parkinglot", "intersection", "overpass", "tenniscourt", "storagetanks"];

    private static readonly string[] s_natural = ["agricultural", "forest", "chaparral", "beach", "river", "golfcourse"];

    [Fact]
    public void Score_UcMercedTiles_AtLeast95PercentCorrect()
    {
        var info = ModelInspector.Inspect(SharedFixtures.Require(CityModel));
        var imagery = SharedFixtures.Require(UcMerced);
        var cases = s_urban.Select(c => (Class: c, City: true)).Concat(s_natural.Select(c => (Class: c, City: false)))
            .SelectMany(c => Directory.GetFiles(Path.Combine(imagery, c.Class), "*.jpg").Order(StringComparer.Ordinal).Select(f => (File: f, c.City)))
            .ToList();
        using var scorer = new OnnxTileScorer(info, new OnnxScorerOptions { BatchSize = 16 });
        var city = PositiveLabels.Resolve("city", scorer.Labels);
        var wrong = new List<string>();

        foreach (var chunk in cases.Chunk(scorer.MaxBatchSize))
        {
            var scores = Score(scorer, [.. chunk.Select(c => File.ReadAllBytes(c.File))]);
            for (var i = 0; i < chunk.Length; i++)
            {
                var p = city.Score(scores.AsSpan(i * scorer.Labels.Count, scorer.Labels.Count));
                if ((p > 0.5f) != chunk[i].City)
                {
                    wrong.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.GetDirectoryName(chunk[i].File))}/{Path.GetFileName(chunk[i].File)} P(city)={p:0.000}"));
                }
            }
        }

        Assert.True(cases.Count >= 80, $"expected 5 images in each of 16 classes, found {cases.Count}");
        var accuracy = 1.0 - ((double)wrong.Count / cases.Count);
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:P1}; wrong: {string.Join("; ", wrong)}");
    }
}
