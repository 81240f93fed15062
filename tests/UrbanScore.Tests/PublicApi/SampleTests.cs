using System.Text.Json;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.PublicApi;

/// <summary>Runs samples/UrbanScore.Sample (built with this test project) as a user would.</summary>
public sealed class SampleTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _out = Path.Combine(Path.GetTempPath(), "urbanscore-sample-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sample_DemoWorldWithCityModel_ScoresTheAreaAndWritesRunJson()
    {
        await using var world = await DemoWorldServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        // The repository's demo model when it is there, else the shared city model.
        var demoModel = Path.Combine(SharedFixtures.RepoRoot, "models", "urbanscore-demo.onnx");
        var model = File.Exists(demoModel) ? demoModel : SharedFixtures.Require("fixtures/models/sqz_city_cv.onnx");
        var sample = Path.Combine(SharedFixtures.RepoRoot, "samples", "UrbanScore.Sample", "bin", Configuration, "net10.0", "UrbanScore.Sample.dll");
        Assert.True(File.Exists(sample), sample + " is missing; the test project builds it");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTool.Find("dotnet") ?? "dotnet";

        var (code, stdout, stderr) = ExternalTool.Run(dotnet, ["exec", sample, world.XyzTemplate, model, _out], TimeSpan.FromMinutes(3));

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Matches(@"\d+ tiles scored, 0 empty, 0 failed; run\.json at ", stdout);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "run.json")));
        Assert.True(manifest.RootElement.GetProperty("tiles").GetProperty("scored").GetInt32() > 0);
        Assert.True(File.Exists(Path.Combine(_out, "heatmap.tif")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}
