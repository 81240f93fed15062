using UrbanScore.Observability;

namespace UrbanScore.Tests.Observability;

public sealed class ReasonCategoryTests
{
    [Theory]
    [InlineData(null, "none")]
    [InlineData("HTTP 404: no tile here", "http_404")]
    [InlineData("HTTP 204: no content", "http_204")]
    [InlineData("HTTP 429 Too Many Requests (after 5 attempts)", "http_429")]
    [InlineData("HTTP 503 Service Unavailable: maintenance", "http_5xx")]
    [InlineData("HTTP 403 Forbidden", "http_4xx")]
    [InlineData("HTTP 200 with an empty body", "empty_body")]
    [InlineData("timed out after 30 s (after 5 attempts)", "timeout")]
    [InlineData("connection failed: Connection refused (127.0.0.1:1)", "connection")]
    [InlineData("server sent no image: <ServiceException>bad layer</ServiceException>", "not_image")]
    [InlineData("tile body exceeds the 16777216-byte cap", "too_large")]
    [InlineData("redirect to another host (cdn.example.com) refused; pass --follow-redirects-to-other-hosts to allow it", "redirect")]
    [InlineData("model error: [ErrorCode:Fail] bad input", "model")]
    [InlineData("outside the tile matrix or the layer's TileMatrixSetLimits", "outside_limits")]
    [InlineData("single-colour tile", "blank")]
    [InlineData("fully transparent tile", "blank")]
    [InlineData("image is truncated (incomplete data)", "decode")]
    [InlineData("not a decodable image (unknown format or corrupt header)", "decode")]
    [InlineData("something new", "other")]
    public void Of_KnownReason_MapsToAFixedWord(string? reason, string expected)
    {
        Assert.Equal(expected, ReasonCategory.Of(reason));
    }
}
