using UrbanScore.Inference;
using UrbanScore.Tests.TestSupport;
using static UrbanScore.Tests.Inference.InferenceTestData;

namespace UrbanScore.Tests.Inference;

public sealed class ModelInspectorTests
{
    [Fact]
    public void Inspect_CatOrDogOnnx12_ReportsZipMapBgr0To255DynamicBatch()
    {
        var path = SharedFixtures.Require(CatOrDog);

        var info = ModelInspector.Inspect(path);

        Assert.Equal(ModelFlavour.ZipMap, info.Flavour);
        Assert.Equal("zipmap", info.FlavourName);
        Assert.Equal(7, info.Opset);
        Assert.Equal("OnnxMLTools 1.2.2.0129", info.Producer);
        Assert.Equal("data", info.InputName);
        Assert.Equal([-1L, 3, 227, 227], info.InputShape);
        Assert.Equal("float32", info.InputType);
        Assert.Equal("loss", info.ScoreOutputName);
        Assert.Equal(["classLabel", "loss"], info.Outputs.Select(o => o.Name));
        Assert.Equal("seq(map(string,float))", info.Outputs[1].Type);
        Assert.Equal(["cat", "dog", "Negative"], info.Labels);
        Assert.Equal("model", info.LabelsSource);
        Assert.Equal(new ModelInputSpec(Width: 227, Height: 227, ChannelOrder: ChannelOrder.Bgr, Scale: 1f), info.Input);
        Assert.Equal("BGR", info.PixelFormat);
        Assert.Equal("0-255", info.ValueRange);
        Assert.Null(info.FixedBatchSize);
        Assert.Empty(info.Notes);
    }

    [Fact]
    public void Inspect_CityModelWithoutMetadata_DefaultsToBgr0To255At224()
    {
        var info = ModelInspector.Inspect(SharedFixtures.Require(CityModel));

        Assert.Equal(ModelFlavour.ZipMap, info.Flavour);
        Assert.Equal(["city", "not_city"], info.Labels);
        Assert.Equal(new ModelInputSpec(Width: 224, Height: 224, ChannelOrder: ChannelOrder.Bgr, Scale: 1f), info.Input);
        Assert.Contains("BGR by default", info.PreprocessingSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Opset1CustomVisionExport_AsksToReExport()
    {
        var path = SharedFixtures.Require(Computer);

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("opset 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("re-export the model from Custom Vision", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ModelOutputFixedBatch1_ReadsLabelsTxtBesideIt()
    {
        var info = ModelInspector.Inspect(Model("colour-fixed1"));

        Assert.Equal(ModelFlavour.TensorOutput, info.Flavour);
        Assert.Equal("model_output", info.FlavourName);
        Assert.Equal("model_output", info.ScoreOutputName);
        Assert.Equal(1, info.FixedBatchSize);
        Assert.Equal(["blue", "green", "red"], info.Labels);
        Assert.EndsWith("labels.txt", info.LabelsSource, StringComparison.Ordinal);
        Assert.Equal(new ModelInputSpec(Width: 8, Height: 8, ChannelOrder: ChannelOrder.Bgr, Scale: 1f), info.Input);
    }

    [Fact]
    public void Inspect_Float16Model_ReportsFloat16InputAndOutput()
    {
        var info = ModelInspector.Inspect(Model("colour-fp16"));

        Assert.True(info.IsFloat16);
        Assert.Equal("float16", info.InputType);
        Assert.Equal("float16", info.ScoreOutputType);
        Assert.Equal("model_output+fp16", info.FlavourName);
        Assert.Null(info.FixedBatchSize);
    }

    [Theory]
    [InlineData("probe-default", ChannelOrder.Bgr, 1f)]
    [InlineData("probe-rgb", ChannelOrder.Rgb, 1f)]
    [InlineData("probe-0-1", ChannelOrder.Bgr, 1f / 255f)]
    [InlineData("colour-rgb-0-1", ChannelOrder.Rgb, 1f / 255f)]
    public void Inspect_PixelMetadata_SetsChannelOrderAndScale(string model, ChannelOrder order, float scale)
    {
        var info = ModelInspector.Inspect(Model(model));

        Assert.Equal(order, info.Input.ChannelOrder);
        Assert.Equal(scale, info.Input.Scale);
    }

    [Fact]
    public void Inspect_Export2020Sidecars_ReadsThemAndNotesTheContradictedMetadata()
    {
        var sidecars = SharedFixtures.Require(Sidecars2020);
        using var folder = new TempFolder();
        File.Copy(Model("cv2020-zipmap"), Path.Combine(folder.Path, "model.onnx"));
        foreach (var file in Directory.GetFiles(sidecars))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        var info = ModelInspector.Inspect(Path.Combine(folder.Path, "model.onnx"));

        Assert.NotNull(info.Sidecars);
        Assert.Equal("Classification", info.Sidecars.DomainType);
        Assert.Equal("ONNX", info.Sidecars.Platform);
        Assert.Null(info.Sidecars.Flavor);
        Assert.Equal("labels.txt", info.Sidecars.LabelFileName);
        Assert.Equal("Rgb8", info.Sidecars.Metadata["Image.BitmapPixelFormat"]);
        Assert.Equal("ClassificationMultiLabel", info.Sidecars.Metadata["CustomVision.Postprocess.Method"]);
        Assert.Equal(["dessert", "soup", "Vegetable-Fruit"], info.Labels);
        // The model embeds Bgr8 / NominalRange_0_255 and wins over the sidecar's Rgb8 / Normalized_0_1.
        Assert.Equal(ChannelOrder.Bgr, info.Input.ChannelOrder);
        Assert.Equal(1f, info.Input.Scale);
        Assert.Contains(info.Notes, n => n.Contains("Image.BitmapPixelFormat=Rgb8", StringComparison.Ordinal) && n.Contains("model's embedded metadata wins", StringComparison.Ordinal));
        Assert.Contains(info.Notes, n => n.Contains("Image.NominalPixelRange=Normalized_0_1", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_LabelsTxtDifferentFromZipMap_UsesModelLabelsAndNotesIt()
    {
        using var folder = new TempFolder();
        var model = Path.Combine(folder.Path, "model.onnx");
        File.Copy(Model("colour-multilabel"), model);
        File.WriteAllText(Path.Combine(folder.Path, "labels.txt"), "red\ngreen\nblue\n");

        var info = ModelInspector.Inspect(model);

        Assert.Equal(["blue", "green", "red"], info.Labels);
        Assert.Contains(info.Notes, n => n.Contains("the model's labels are used", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadMapKeysByRunning_CatOrDog_ReturnsTheZipMapLabels()
    {
        // The fallback for a seq(map) output with no ZipMap node to read the labels from.
        var path = SharedFixtures.Require(CatOrDog);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);

        var keys = ModelInspector.ReadMapKeysByRunning(session, "data", [-1, 3, 227, 227], isFloat16: false, "loss");

        Assert.Equal(["Negative", "cat", "dog"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Inspect_ModelOutputWithoutLabelsTxt_AsksForLabels()
    {
        var path = Model("no-labels");

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("labels file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(InputSubject.Labels, ex.Subject);
    }

    [Fact]
    public void Inspect_ModelOutputWithExplicitLabels_UsesThem()
    {
        var labels = Path.Combine(Path.GetDirectoryName(Model("colour-fixed1"))!, "labels.txt");

        var info = ModelInspector.Inspect(Model("no-labels"), labels);

        Assert.Equal(["blue", "green", "red"], info.Labels);
        Assert.Equal(labels, info.LabelsSource);
    }

    [Fact]
    public void Inspect_LabelCountDifferentFromOutput_SaysSo()
    {
        var labels = Path.Combine(Path.GetDirectoryName(Model("probe-rgb"))!, "labels.txt");

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(Model("colour-fixed1"), labels));

        Assert.Contains("lists 12 labels", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scores 3 classes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad-rank", "shape [1,3,8]")]
    [InlineData("bad-channels", "shape [1,4,8,8]")]
    [InlineData("bad-output", "no score output")]
    public void Inspect_UnusableGeneratedModel_NamesTheProblem(string model, string expected)
    {
        var path = Model(model);

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NotOnnx_SaysSo()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        File.WriteAllText(path, "<html><body>404 Not Found</body></html>");

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not an ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_TruncatedModel_SaysTruncated()
    {
        var source = SharedFixtures.Require(CatOrDog);
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_SaysSo()
    {
        var ex = Assert.Throws<UrbanScoreException>(() => ModelInspector.Inspect("/nonexistent/model.onnx"));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportSidecarsRead_FolderWithoutSidecars_ReturnsNull()
    {
        using var folder = new TempFolder();

        Assert.Null(ExportSidecars.Read(folder.Path));
    }

    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = Directory.CreateTempSubdirectory("urbanscore-model-").FullName;
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
