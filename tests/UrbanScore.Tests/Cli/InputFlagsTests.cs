using System.Text.RegularExpressions;
using UrbanScore.Analysis;
using UrbanScore.Cli;
using UrbanScore.Geo;
using UrbanScore.Sources;
using UrbanScore.Storage;
using UrbanScore.Tests.Reliability;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Cli;

/// <summary>
/// The engine's messages speak of values and carry the <see cref="InputSubject"/> they are about; the command line
/// names its own option for that subject when it prints them (exit code 2, one line).
/// </summary>
public sealed partial class InputFlagsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("urbanscore-inputflags-").FullName;

    public static TheoryData<string, InputSubject> EngineCalls => new()
    {
        { "bbox", InputSubject.BoundingBox },
        { "bbox-latitudes", InputSubject.BoundingBox },
        { "shard", InputSubject.Shard },
        { "tile-list", InputSubject.TileList },
        { "area-file", InputSubject.AreaFile },
        { "country", InputSubject.Country },
        { "run-folder", InputSubject.RunFolder },
        { "truth", InputSubject.Truth },
        { "min-share", InputSubject.MinShare },
        { "regions", InputSubject.Regions },
        { "cache", InputSubject.Cache },
    };

    [Theory]
    [MemberData(nameof(EngineCalls))]
    public void EngineException_BadValue_NamesNoCliFlagAndCarriesTheSubject(string call, InputSubject subject)
    {
        var missing = Path.Combine(_dir, "missing.file");
        var aFile = Path.Combine(_dir, "a-file");
        File.WriteAllText(aFile, "not a folder");
        Action act = call switch
        {
            "bbox" => () => TileCover.ParseBoundingBox("24.9,60.1,25.0"),
            "bbox-latitudes" => () => TileCover.ParseBoundingBox("24.9,60.1,25.0,95"),
            "shard" => () => Shard.Parse("3/3"),
            "tile-list" => () => TileListArea.FromCsv(missing),
            "area-file" => () => PolygonArea.FromGeoJson(missing),
            "country" => () => CountryCatalog.Find("Atlantis"),
            "run-folder" => () => ScoreStore.OpenExisting(_dir).Dispose(),
            "truth" => () => ReferenceSet.Open(missing),
            "min-share" => () => ReferenceSet.Open(aFile, minShare: 2),
            "regions" => () => RegionSet.FromGeoJson(missing),
            "cache" => () => _ = new TileDiskCache(Path.Combine(aFile, "cache")),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };

        var ex = Assert.Throws<UrbanScoreException>(act);

        Assert.Equal(subject, ex.Subject);
        Assert.DoesNotMatch(CliFlag(), ex.Message);
    }

    [Fact]
    public void For_EverySubjectButNoneAndRunFolder_NamesAnOption()
    {
        foreach (var subject in Enum.GetValues<InputSubject>().Where(s => s is not InputSubject.None and not InputSubject.RunFolder))
        {
            Assert.True(InputFlags.For(subject) is { } flag && flag.StartsWith("--", StringComparison.Ordinal), $"{subject} has no option");
        }
    }

    [Theory]
    [InlineData("--bbox", "24.9,60.1,25.0", "error: --bbox: The bounding box '24.9,60.1,25.0' is not four numbers")]
    [InlineData("--shard", "3/3", "error: --shard: The shard '3/3' is not K/N")]
    [InlineData("--tiles", "/nonexistent/tiles.csv", "error: --tiles: The tile list /nonexistent/tiles.csv does not exist")]
    public async Task Score_BadValue_PrintsTheEngineMessageAfterTheFlag(string option, string value, string expected)
    {
        string[] area = option == "--shard" ? ["--bbox", "24.9,60.1,25.0,60.2", option, value] : [option, value];
        var (code, stdout, stderr) = await CliRun.RunAsync(
            ["score", "--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--zoom", "12", "--model", TileGrid.Model(), "--positive-label", "red", "--out", Path.Combine(_dir, "out"), .. area]);

        Assert.True(code == 2, $"exit {code}: {stderr}\n{stdout}");
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorLine_PreflightSubject_NamesTheWayOutLast()
    {
        var line = InputFlags.ErrorLine(new UrbanScoreException("Cannot reach host:80 (refused); check the host, or skip this check.") { Subject = InputSubject.Preflight });

        Assert.Equal("error: Cannot reach host:80 (refused); check the host, or skip this check (--no-preflight).", line);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // An option as the command line spells it: two dashes and a letter at the start of a word or a quote.
    [GeneratedRegex(@"(^|[\s'""(])--[a-z]")]
    private static partial Regex CliFlag();
}
