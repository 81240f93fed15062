using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Reliability;

/// <summary>The bad inputs of docs/reliability.md for areas, shards and city files: exit 2 and one sentence naming the problem and the fix.</summary>
public sealed class AreaBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("urbanscore-badarea-").FullName;

    private static async Task AssertRefusedAsync(string[] args, string expected)
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(args);

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    private string[] Score(params string[] area) =>
        ["score", "--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--zoom", "12", "--model", TileGrid.Model(), "--positive-label", "red", "--out", Path.Combine(_dir, "out"), .. area];

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("2")]
    public async Task Score_MalformedShard_ExitsTwo(string shard)
    {
        await AssertRefusedAsync(Score("--bbox", "24.9,60.1,25.0,60.2", "--shard", shard), "--shard");
    }

    [Fact]
    public async Task Score_UnknownCountry_ExitsTwo()
    {
        await AssertRefusedAsync(Score("--country", "Atlantis"), "Atlantis");
    }

    [Fact]
    public async Task Score_GeoJsonThatIsNotAPolygon_ExitsTwo()
    {
        var file = Path.Combine(_dir, "line.geojson");
        await File.WriteAllTextAsync(file, """{"type":"LineString","coordinates":[[24.9,60.1],[25.0,60.2]]}""", TestContext.Current.CancellationToken);

        await AssertRefusedAsync(Score("--area", file), "line.geojson");
    }

    [Fact]
    public async Task Score_FileThatIsNotGeoJson_ExitsTwo()
    {
        var file = Path.Combine(_dir, "broken.geojson");
        await File.WriteAllTextAsync(file, "{ this is not json", TestContext.Current.CancellationToken);

        await AssertRefusedAsync(Score("--area", file), "broken.geojson");
    }

    [Fact]
    public async Task Collect_CitiesFileWithMissingColumns_ExitsTwoNamingTheColumn()
    {
        var file = Path.Combine(_dir, "worldcities.csv");
        await File.WriteAllTextAsync(file, "city,lat\nHelsinki,60.17\n", TestContext.Current.CancellationToken);

        await AssertRefusedAsync(["collect", "--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--zoom", "15", "--cities", file, "--random", "0", "--out", Path.Combine(_dir, "dataset")], "column");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
