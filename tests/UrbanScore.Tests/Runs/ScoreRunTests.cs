using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using UrbanScore.Geo;
using UrbanScore.Inference;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Sources;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using UrbanScore.Tools.DemoWorld;

namespace UrbanScore.Tests.Runs;

/// <summary>
/// The library's front door and the command line run one engine (<see cref="ScoreRun"/>): the same headers on every
/// request, the same ONNX Runtime tuning, the same outputs.
/// </summary>
public sealed class ScoreRunTests : IDisposable
{
    private const string ApiKey = "k-7f3a9";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-scorerun-" + Guid.NewGuid().ToString("N"));

    private static readonly BoundingBox s_fourTiles = FourTiles();

    [Fact]
    public async Task ScoreAsync_WmtsWithApiKeyHeader_SendsItOnTheCapabilitiesAndEveryTileRequest()
    {
        var requests = new ConcurrentQueue<(string Path, string? Key)>();
        var image = TestImages.Flat(200, 20, 20);
        Uri? baseUri = null;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            requests.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.Headers["X-Api-Key"].FirstOrDefault()));
            if (context.Request.Path.Value == "/WMTSCapabilities.xml")
            {
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(WmtsCapabilitiesDocument.Build(baseUri!));
                return;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(image);
        });
        baseUri = server.BaseUri;

        var result = await UrbanScorer.ScoreAsync(new ScoreRequest
        {
            WmtsCapabilities = server.BaseUri + "WMTSCapabilities.xml",
            Wmts = new WmtsSelectionChoice { Layer = WmtsCapabilitiesDocument.Layer },
            Area = new BoxArea(s_fourTiles),
            Zoom = 12,
            ModelPath = InferenceTestData.Model("colour-fixed1"),
            OutputFolder = Path.Combine(_root, "library"),
            PositiveLabel = "red",
            Http = new HttpFetchOptions { Headers = [new("X-Api-Key", ApiKey)], MaxRetries = 0 },
        }, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal(4, result.Counts.Scored);
        var log = requests.ToList();
        Assert.Contains(log, r => r.Path == "/WMTSCapabilities.xml");
        Assert.Equal(5, log.Count);
        Assert.All(log, r => Assert.Equal(ApiKey, r.Key));
        Assert.DoesNotContain(ApiKey, await File.ReadAllTextAsync(result.ManifestPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colour-fixed1")]
    [InlineData("colour-logits")]
    public async Task OpenAsync_LibraryRequest_TunesOnnxRuntimeForTheMachineAndModel(string model)
    {
        var request = new ScoreRequest
        {
            XyzTemplate = "http://127.0.0.1:9/{z}/{x}/{y}.png",
            Area = new BoxArea(s_fourTiles),
            Zoom = 12,
            ModelPath = InferenceTestData.Model(model),
            OutputFolder = Path.Combine(_root, "unused"),
        };

        using var run = await ScoreRun.OpenAsync(request, TestContext.Current.CancellationToken);

        var options = (await run.ScorerOpening).Options;
        var info = ModelInspector.Inspect(request.ModelPath);
        var cores = Environment.ProcessorCount;
        Assert.False(options.AllowSpinning);
        Assert.Equal(PipelineTuning.IntraOpThreads(cores, info.FixedBatchSize), options.IntraOpThreads);
        Assert.Equal(PipelineTuning.BatchSize(cores, info.FixedBatchSize), options.BatchSize);
    }

    [Fact]
    public async Task RunAsync_ModelThatIsNotOnnx_ThrowsTheModelsErrorBeforeAnyTileIsFetched()
    {
        // The model opens beside the source; a model ONNX Runtime cannot read still stops the run before it starts.
        var model = Path.Combine(_root, "broken.onnx");
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(model, "not a model", TestContext.Current.CancellationToken);
        var request = new ScoreRequest
        {
            XyzTemplate = "http://127.0.0.1:9/{z}/{x}/{y}.png",
            Area = new BoxArea(s_fourTiles),
            Zoom = 12,
            ModelPath = model,
            OutputFolder = Path.Combine(_root, "broken-run"),
        };
        using var run = await ScoreRun.OpenAsync(request, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => run.RunAsync(null, TestContext.Current.CancellationToken));

        Assert.Contains("broken.onnx", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.OutputFolder), "no output folder is made for a run that cannot start");
    }

    [Fact]
    public async Task OpenAsync_CudaDeviceOnCpuBuild_IsRefusedBeforeTheRunStarts()
    {
#if ORT_GPU
        Assert.Skip("this is the GPU build; CUDA is available to it");
#else
        // The session is built while the run starts; a device this build cannot use is still refused up front.
        var request = new ScoreRequest
        {
            XyzTemplate = "http://127.0.0.1:9/{z}/{x}/{y}.png",
            Area = new BoxArea(s_fourTiles),
            Zoom = 12,
            ModelPath = InferenceTestData.Model("colour-fixed1"),
            Device = ExecutionDevice.Parse("cuda:0"),
            OutputFolder = Path.Combine(_root, "cuda-run"),
        };

        var error = await Assert.ThrowsAsync<UrbanScoreException>(() => ScoreRun.OpenAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(InputSubject.Device, error.Subject);
        Assert.Contains("-p:OrtFlavor=Gpu", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(request.OutputFolder));
#endif
    }

    [Fact]
    public async Task ScoreAsync_SameRequestAsTheCli_WritesTheSameScores()
    {
        var image = TestImages.Flat(200, 20, 20);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(image);
        });
        var template = server.BaseUri + "{z}/{x}/{y}.png";
        var model = InferenceTestData.Model("colour-fixed1");
        var cliFolder = Path.Combine(_root, "cli");
        var libraryFolder = Path.Combine(_root, "library");
        var box = string.Join(',', new[] { s_fourTiles.MinX, s_fourTiles.MinY, s_fourTiles.MaxX, s_fourTiles.MaxY }.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        var (code, _, stderr) = await CliRun.RunAsync("score", "--xyz", template, "--zoom", "12", "--bbox", box, "--model", model, "--positive-label", "red", "--out", cliFolder);
        await UrbanScorer.ScoreAsync(new ScoreRequest
        {
            XyzTemplate = template,
            Area = new BoxArea(s_fourTiles),
            Zoom = 12,
            ModelPath = model,
            OutputFolder = libraryFolder,
            PositiveLabel = "red",
        }, progress: null, TestContext.Current.CancellationToken);

        Assert.True(code == 0, stderr);
        // The GeoTIFFs carry the product date, so they are compared elsewhere (render); these carry none.
        var files = Directory.GetFiles(Path.Combine(cliFolder, "heatmap", "12"), "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(cliFolder, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, files.Count);
        foreach (var file in (string[])["scores.csv", .. files])
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(cliFolder, file), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(Path.Combine(libraryFolder, file), TestContext.Current.CancellationToken));
        }

        // tilejson.json points at its own folder (file:// URLs without --base-url): equal once each folder is named alike.
        var cliTileJson = (await File.ReadAllTextAsync(Path.Combine(cliFolder, "tilejson.json"), TestContext.Current.CancellationToken)).Replace(new Uri(cliFolder + "/").AbsoluteUri, "FOLDER/", StringComparison.Ordinal);
        var libraryTileJson = (await File.ReadAllTextAsync(Path.Combine(libraryFolder, "tilejson.json"), TestContext.Current.CancellationToken)).Replace(new Uri(libraryFolder + "/").AbsoluteUri, "FOLDER/", StringComparison.Ordinal);
        Assert.Contains("FOLDER/", cliTileJson, StringComparison.Ordinal);
        Assert.Equal(cliTileJson, libraryTileJson);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static BoundingBox FourTiles()
    {
        var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2000, Row: 1300));
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: 12, Col: 2002, Row: 1302));
        return new BoundingBox(MinX: nw.Lon + 1e-7, MinY: se.Lat + 1e-7, MaxX: se.Lon - 1e-7, MaxY: nw.Lat - 1e-7);
    }
}
