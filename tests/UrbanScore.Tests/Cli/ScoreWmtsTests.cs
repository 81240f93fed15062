using System.Globalization;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Cli;

/// <summary>End-to-end <c>score</c> runs against a real WMTS server (Debian's MapProxy) over KVP and REST.</summary>
public sealed class ScoreWmtsTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-wmts-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("kvp")]
    [InlineData("rest")]
    public async Task Score_MapProxyWmts_ScoresSeededTilesAndRecordsBlankOnesEmpty(string encoding)
    {
        var model = SharedFixtures.Require("fixtures/models/sqz_city_cv.onnx");
        var imagery = SharedFixtures.Require("fixtures/imagery/ucmerced");
        using var mapproxy = new MapProxyServer();

        // Replace the flat-colour level-3 tiles (cols 4..5, rows 2..3) with real aerial photographs: two urban, two not.
        var seeded = new Dictionary<(int Col, int Row), bool>
        {
            [(4, 2)] = true,
            [(5, 2)] = false,
            [(4, 3)] = false,
            [(5, 3)] = true,
        };
        var photos = new Dictionary<bool, string[]>
        {
            [true] = [Path.Combine(imagery, "denseresidential", "denseresidential00.jpg"), Path.Combine(imagery, "buildings", "buildings01.jpg")],
            [false] = [Path.Combine(imagery, "forest", "forest00.jpg"), Path.Combine(imagery, "agricultural", "agricultural01.jpg")],
        };
        var used = new Dictionary<bool, int> { [true] = 0, [false] = 0 };
        foreach (var ((col, row), urban) in seeded)
        {
            File.Copy(photos[urban][used[urban]++], Path.Combine(mapproxy.CacheDirectory, "sat", "3", $"{col}", $"{row}.jpeg"), overwrite: true);
        }

        var capabilities = encoding == "kvp" ? mapproxy.KvpCapabilities : mapproxy.RestCapabilities;

        // z3 tiles cols 3..6, rows 1..4: the 4 seeded photographs plus 12 tiles MapProxy has no data for.
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "score", "--wmts", capabilities.ToString(), "--layer", "sat", "--wmts-encoding", encoding, "--zoom", "3",
            "--bbox", "-44.9,-40.9,134.9,79.0", "--model", model, "--out", _out);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        var rows = File.ReadLines(Path.Combine(_out, "scores.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(16, rows.Length);
        var scored = rows.Where(r => r[3] == "scored").ToDictionary(
            r => (int.Parse(r[1], CultureInfo.InvariantCulture), int.Parse(r[2], CultureInfo.InvariantCulture)),
            r => double.Parse(r[4], CultureInfo.InvariantCulture));
        Assert.Equal(seeded.Keys.Order(), scored.Keys.Order());
        Assert.All(seeded, kv => Assert.True(kv.Value == (scored[kv.Key] > 0.5), $"tile {kv.Key} scored {scored[kv.Key]}"));
        Assert.Equal(12, rows.Count(r => r[3] == "empty"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
