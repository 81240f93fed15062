using System.Text.Json;
using UrbanScore.Cli;
using UrbanScore.Tests.TestSupport;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

public sealed class InferenceCommandsTests
{
    [Fact]
    public async Task InspectModel_Json_HasTheDocumentedKeys()
    {
        var (code, output, _) = await RunAsync("inspect-model", SharedFixtures.Require(CatOrDog), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("zipmap", root.GetProperty("flavour").GetString());
        Assert.Equal("data", root.GetProperty("inputName").GetString());
        Assert.Equal([-1, 3, 227, 227], root.GetProperty("inputShape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("float32", root.GetProperty("inputType").GetString());
        Assert.Equal("BGR", root.GetProperty("pixelFormat").GetString());
        Assert.Equal("0-255", root.GetProperty("valueRange").GetString());
        Assert.Equal(["cat", "dog", "Negative"], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("dynamic", root.GetProperty("batch").GetString());
        Assert.Equal(["classLabel", "loss"], root.GetProperty("outputs").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task InspectModel_FixedBatchModel_JsonBatchIsANumber()
    {
        var (code, output, _) = await RunAsync("inspect-model", Model("colour-rgb-0-1"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("batch").GetInt32());
        Assert.Equal("RGB", json.RootElement.GetProperty("pixelFormat").GetString());
        Assert.Equal("0-1", json.RootElement.GetProperty("valueRange").GetString());
    }

    [Fact]
    public async Task InspectModel_Opset1Model_ExitsWith2AndTheReExportMessage()
    {
        var (code, _, error) = await RunAsync("inspect-model", SharedFixtures.Require(Computer));

        Assert.Equal(2, code);
        Assert.Contains("re-export the model from Custom Vision", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_Kitten_PrintsEveryLabelWithCatOnTop()
    {
        var (code, output, _) = await RunAsync("classify", SharedFixtures.Require(Kitten), "--model", SharedFixtures.Require(CatOrDog), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var image = json.RootElement[0];
        Assert.Equal("scored", image.GetProperty("status").GetString());
        Assert.Equal("cat", image.GetProperty("top").GetString());
        Assert.True(image.GetProperty("scores").GetProperty("cat").GetSingle() >= 0.99f);
        Assert.Equal(3, image.GetProperty("scores").EnumerateObject().Count());
    }

    [Fact]
    public async Task Classify_Folder_ScoresEveryImageInText()
    {
        var folder = Path.Combine(SharedFixtures.Require(UcMerced), "forest");

        var (code, output, _) = await RunAsync("classify", folder, "--model", SharedFixtures.Require(CityModel));

        Assert.Equal(0, code);
        Assert.Equal(Directory.GetFiles(folder, "*.jpg").Length, output.Split('\n').Count(l => l.Contains("not_city", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Classify_CudaOnCpuBuild_ExitsWith2()
    {
#if ORT_GPU
        Assert.Skip("this is the GPU build");
#else
        var (code, _, error) = await RunAsync("classify", SharedFixtures.Require(Kitten), "--model", SharedFixtures.Require(CatOrDog), "--device", "cuda");

        Assert.Equal(2, code);
        Assert.Contains("-p:OrtFlavor=Gpu", error, StringComparison.Ordinal);
#endif
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await UrbanScoreCli.RunAsync(args, new CliContext(output, error, false), TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
