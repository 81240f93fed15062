namespace UrbanScore.Tests.Observability;

public sealed class FailureKindTests
{
    [Theory]
    [InlineData(404, FailureKind.Http404)]
    [InlineData(204, FailureKind.Http204)]
    [InlineData(429, FailureKind.Http429)]
    [InlineData(503, FailureKind.Http5xx)]
    [InlineData(403, FailureKind.Http4xx)]
    [InlineData(408, FailureKind.Http4xx)]
    [InlineData(304, FailureKind.HttpOther)]
    public void OfHttpStatus_Status_MapsToItsKind(int status, FailureKind expected)
    {
        Assert.Equal(expected, FailureKinds.OfHttpStatus(status));
    }

    [Theory]
    [InlineData(FailureKind.None, "none")]
    [InlineData(FailureKind.Http404, "http_404")]
    [InlineData(FailureKind.Http204, "http_204")]
    [InlineData(FailureKind.Http429, "http_429")]
    [InlineData(FailureKind.Http5xx, "http_5xx")]
    [InlineData(FailureKind.Http4xx, "http_4xx")]
    [InlineData(FailureKind.HttpOther, "http_other")]
    [InlineData(FailureKind.EmptyBody, "empty_body")]
    [InlineData(FailureKind.Timeout, "timeout")]
    [InlineData(FailureKind.Connection, "connection")]
    [InlineData(FailureKind.NotImage, "not_image")]
    [InlineData(FailureKind.TooLarge, "too_large")]
    [InlineData(FailureKind.Redirect, "redirect")]
    [InlineData(FailureKind.OutsideLimits, "outside_limits")]
    [InlineData(FailureKind.Blank, "blank")]
    [InlineData(FailureKind.Decode, "decode")]
    [InlineData(FailureKind.Model, "model")]
    [InlineData(FailureKind.Other, "other")]
    public void MetricWord_EveryKind_IsTheDocumentedLabel(FailureKind kind, string expected)
    {
        Assert.Equal(expected, kind.MetricWord());
    }

    [Fact]
    public void MetricWord_EveryKind_IsDistinct()
    {
        var words = Enum.GetValues<FailureKind>().Select(k => k.MetricWord()).ToList();

        Assert.Equal(words.Count, words.Distinct(StringComparer.Ordinal).Count());
    }
}
