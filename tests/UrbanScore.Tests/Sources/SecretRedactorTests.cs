using UrbanScore.Sources;

namespace UrbanScore.Tests.Sources;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("https://h/wmts?apikey=S3cr3tValue&layer=x", "https://h/wmts?apikey=***&layer=x")]
    [InlineData("https://h/t/{z}/{x}/{y}.jpg?access_token=S3cr3tValue", "https://h/t/{z}/{x}/{y}.jpg?access_token=***")]
    [InlineData("https://h/t?KEY=S3cr3tValue", "https://h/t?KEY=***")]
    [InlineData("https://user:S3cr3tValue@h/t", "https://***@h/t")]
    [InlineData("https://h/t?token=S3cr3tValue&x=1&api_key=other", "https://h/t?token=***&x=1&api_key=***")]
    public void Redact_UrlWithSecret_MasksIt(string input, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(input));
    }

    [Fact]
    public void Redact_HeaderValue_IsMaskedAnywhere()
    {
        var text = SecretRedactor.Redact("failed: server echoed abcdef123456", ["abcdef123456"]);

        Assert.DoesNotContain("abcdef123456", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_UrlWithoutSecret_IsUnchanged()
    {
        const string url = "https://h/wmts?layer=x&style=default&monkey=1";

        Assert.Equal(url, SecretRedactor.Redact(url));
    }
}
