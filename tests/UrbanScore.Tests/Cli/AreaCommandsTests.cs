using System.Text.Json;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Cli;

public sealed class AreaCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("urbanscore-area-").FullName;

    [Fact]
    public async Task Plan_CountryWithShards_PrintsCountAndBalancedShards()
    {
        var (code, output, _) = await CliRun.RunAsync("plan", "--country", "FI", "--zoom", "10", "--shards", "3", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1334, json.RootElement.GetProperty("tiles").GetInt64());
        Assert.Equal([444L, 445L, 445L], json.RootElement.GetProperty("shards").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task Plan_SelfIntersectingGeoJson_RepairsAndWarns()
    {
        var path = Path.Combine(_dir, "bowtie.geojson");
        File.WriteAllText(path, """{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[24.0,60.0],[25.0,60.5],[25.0,60.0],[24.0,60.5],[24.0,60.0]]]}}""");

        var (code, output, error) = await CliRun.RunAsync("plan", "--area", path, "--zoom", "10");

        Assert.Equal(0, code);
        Assert.Contains("repaired", error, StringComparison.Ordinal);
        Assert.Contains("tiles:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_TwoAreas_RefusedWithOneSentence()
    {
        var (code, _, error) = await CliRun.RunAsync("plan", "--country", "FI", "--bbox", "24,60,25,61", "--zoom", "10");

        Assert.Equal(2, code);
        Assert.Contains("only one of --bbox, --area, --country or --tiles", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_TileList_CountsDistinctTiles()
    {
        var path = Path.Combine(_dir, "tiles.csv");
        File.WriteAllText(path, "z,x,y\n12,2331,1185\n12,2332,1185\n12,2331,1185\n");

        var (code, output, _) = await CliRun.RunAsync("plan", "--tiles", path, "--zoom", "12", "--json");

        Assert.Equal(0, code);
        Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("tiles").GetInt64());
    }

    [Fact]
    public async Task Countries_List_HasFinlandLine()
    {
        var (code, output, _) = await CliRun.RunAsync("countries");

        Assert.Equal(0, code);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FI ", StringComparison.Ordinal) && l.Contains("Finland", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
