using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>The bad inputs of docs/reliability.md: each gets exit 2 and one sentence naming the problem (no stack trace).</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("urbanscore-badinput-").FullName;

    public static TheoryData<string, string, string> Capabilities => new()
    {
        { "not-xml", "this is not XML at all", "XML" },
        { "not-wmts", "<html><body>Login required</body></html>", "WMTS" },
        { "exception", """<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="InvalidParameterValue"><ows:ExceptionText>unknown service</ows:ExceptionText></ows:Exception></ows:ExceptionReport>""", "exception report" },
    };

    private async Task<(int Code, string Error)> ScoreAsync(params string[] extra)
    {
        string[] args = ["score", "--zoom", "14", "--bbox", "24.9,60.1,25.0,60.2", "--model", TileGrid.Model(), "--positive-label", "red", "--out", Path.Combine(_dir, "out"), .. extra];
        var (code, stdout, stderr) = await CliRun.RunAsync(args);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        return (code, stderr);
    }

    private static void AssertOneSentence(int code, string stderr, string expected)
    {
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Capabilities))]
    public async Task Score_CapabilitiesThatAreNotUsable_ExitTwoWithOneSentence(string name, string content, string expected)
    {
        var file = Path.Combine(_dir, name + ".xml");
        await File.WriteAllTextAsync(file, content, TestContext.Current.CancellationToken);

        var (code, stderr) = await ScoreAsync("--wmts", file);

        AssertOneSentence(code, stderr, expected);
    }

    [Fact]
    public async Task Score_HugeCapabilitiesUrl_ExitTwoNamingTheSizeCap()
    {
        // 21 MB without Content-Length (chunked), so the cap is enforced while reading, not only from the header.
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            await context.Response.Body.WriteAsync("<?xml version=\"1.0\"?><Capabilities><!--"u8.ToArray());
            var chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < 21 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });

        var (code, stderr) = await ScoreAsync("--wmts", server.BaseUri + "wmts?SERVICE=WMTS&REQUEST=GetCapabilities");

        AssertOneSentence(code, stderr, "20 MB");
    }

    [Theory]
    [InlineData("--layer", "no-such-layer", "sat, overlay")]
    [InlineData("--tile-matrix-set", "no-such-set", "webmercator (EPSG:3857)")]
    public async Task Score_UnknownLayerOrSet_ExitTwoListingTheOnesThatExist(string option, string value, string listed)
    {
        var capabilities = SharedFixtures.Require("fixtures/wmts/mapproxy-1.15-local-restful.xml");

        string[] layer = option == "--layer" ? [] : ["--layer", "sat"];
        var (code, stderr) = await ScoreAsync(["--wmts", capabilities, option, value, .. layer]);

        AssertOneSentence(code, stderr, value);
        Assert.Contains(listed, stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Score_XyzTemplateWithoutZ_ExitTwo()
    {
        var (code, stderr) = await ScoreAsync("--xyz", "http://127.0.0.1:9/{x}/{y}.png");

        AssertOneSentence(code, stderr, "{z}");
    }

    [Theory]
    [InlineData("--concurrency", "0")]
    [InlineData("--max-rps", "-1")]
    [InlineData("--timeout", "0")]
    [InlineData("--retries", "1000")]
    [InlineData("--header", "no colon here")]
    public async Task Score_BadHttpOption_ExitTwoNamingTheOption(string option, string value)
    {
        var (code, stderr) = await ScoreAsync("--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", option, value);

        AssertOneSentence(code, stderr, option);
    }

    [Fact]
    public async Task Score_CacheFolderThatIsAFile_ExitTwo()
    {
        var file = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);

        var (code, stderr) = await ScoreAsync("--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--cache", file);

        AssertOneSentence(code, stderr, "--cache");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
