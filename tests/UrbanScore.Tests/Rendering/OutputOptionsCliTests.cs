using System.Globalization;
using System.Text.Json;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Rendering;

public sealed class OutputOptionsCliTests : IDisposable
{
    private readonly string _out = ProductRun.NewFolder();

    public void Dispose() => ProductRun.Delete(_out);

    [Fact]
    public async Task Score_OutputOptions_ReachEveryProduct()
    {
        var gdalinfo = ExternalTool.Require("gdalinfo", "gdal-bin");
        await using var server = await ProductRun.TileServerAsync();
        var model = Path.Combine(AppContext.BaseDirectory, "TestData", "models", "colour-fixed1", "model.onnx");
        var a = ProductRun.Area;
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{a.MinX},{a.MinY},{a.MaxX},{a.MaxY}");

        var (exit, stdout, stderr) = await CliRun.RunAsync(
            "score", "--xyz", server.BaseUri + "{z}/{x}/{y}.png", "--zoom", "12", "--bbox", bbox, "--model", model, "--positive-label", "red",
            "--out", _out, "--min-zoom", "10", "--pixels-per-tile", "2", "--heatmap-pixels-per-tile", "4", "--colormap", "viridis", "--threshold", "0.2");

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.True(Directory.Exists(Path.Combine(_out, "heatmap", "10")));
        Assert.False(Directory.Exists(Path.Combine(_out, "heatmap", "9")));
        using var tileJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "tilejson.json")));
        Assert.Equal(10, tileJson.RootElement.GetProperty("minzoom").GetInt32());
        foreach (var (file, pixels) in new[] { ("scores.tif", 2), ("heatmap.tif", 4) })
        {
            var (code, json, error) = ExternalTool.Run(gdalinfo, ["-json", Path.Combine(_out, file)]);
            Assert.True(code == 0, error);
            using var info = JsonDocument.Parse(json);
            Assert.Equal(4 * pixels, info.RootElement.GetProperty("size")[0].GetInt32());
            Assert.Equal(3 * pixels, info.RootElement.GetProperty("size")[1].GetInt32());
        }

        Assert.Contains("viridis", File.ReadAllText(Path.Combine(_out, "index.html")), StringComparison.Ordinal);
    }
}
