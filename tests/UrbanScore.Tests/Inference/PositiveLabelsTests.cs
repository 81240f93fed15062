using UrbanScore.Inference;

namespace UrbanScore.Tests.Inference;

public sealed class PositiveLabelsTests
{
    private static readonly string[] s_labels = ["city", "Negative", "town", "a+b"];

    [Fact]
    public void Resolve_DifferentCase_MatchesTheModelSpelling()
    {
        var positive = PositiveLabels.Resolve("CITY", s_labels);

        Assert.Equal([0], positive.Indices);
        Assert.Equal(["city"], positive.Labels);
    }

    [Fact]
    public void Resolve_SumOfLabels_AddsTheirScoresCappedAt1()
    {
        var positive = PositiveLabels.Resolve("city + town", s_labels);

        Assert.Equal([0, 2], positive.Indices);
        Assert.Equal(0.7f, positive.Score([0.5f, 0.1f, 0.2f, 0f]), 1e-6f);
        Assert.Equal(1f, positive.Score([0.9f, 0f, 0.8f, 0f]));
    }

    [Fact]
    public void Resolve_LabelContainingPlus_MatchesWhole()
    {
        Assert.Equal([3], PositiveLabels.Resolve("A+B", s_labels).Indices);
    }

    [Fact]
    public void Resolve_UnknownLabel_ListsTheModelLabels()
    {
        var ex = Assert.Throws<UrbanScoreException>(() => PositiveLabels.Resolve("city+village", s_labels));

        Assert.Contains("'village'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("city, Negative, town, a+b", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", false, 0)]
    [InlineData("CUDA", true, 0)]
    [InlineData("cuda:2", true, 2)]
    public void ExecutionDeviceParse_KnownNames_Parse(string text, bool cuda, int id)
    {
        Assert.Equal(new ExecutionDevice(IsCuda: cuda, DeviceId: id), ExecutionDevice.Parse(text));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    public void ExecutionDeviceParse_Unknown_Throws(string text)
    {
        var ex = Assert.Throws<UrbanScoreException>(() => ExecutionDevice.Parse(text));

        Assert.Contains("cpu, cuda or cuda:N", ex.Message, StringComparison.Ordinal);
    }
}
