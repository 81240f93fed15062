namespace UrbanScore.Inference;

/// <summary>
/// What <see cref="ModelInspector.Inspect"/> learnt about a Custom Vision ONNX classifier: its flavour, input and
/// outputs, labels, the preprocessing it needs (<see cref="Input"/>) and its batch dimension. Immutable; holds no
/// native resources.
/// </summary>
public sealed class ModelInfo
{
    /// <summary>Full path of the model file.</summary>
    public required string Path { get; init; }

    /// <summary>How the model reports scores.</summary>
    public required ModelFlavour Flavour { get; init; }

    /// <summary>
    /// Short flavour name for reports: <c>zipmap</c> or <c>model_output</c>, with <c>+fp16</c> appended for a float16 input.
    /// </summary>
    public string FlavourName => (Flavour == ModelFlavour.ZipMap ? "zipmap" : "model_output") + (IsFloat16 ? "+fp16" : string.Empty);

    /// <summary>ONNX IR version.</summary>
    public required long IrVersion { get; init; }

    /// <summary>Default-domain (ai.onnx) opset.</summary>
    public required long Opset { get; init; }

    /// <summary>Every imported opset by domain (<c>""</c> is ai.onnx).</summary>
    public required IReadOnlyDictionary<string, long> Opsets { get; init; }

    /// <summary>Producer name and version, e.g. <c>OnnxMLTools 1.2.2.0129</c>.</summary>
    public required string Producer { get; init; }

    /// <summary>Name of the single image input (Custom Vision: <c>data</c>).</summary>
    public required string InputName { get; init; }

    /// <summary>Input shape [N, 3, H, W]; -1 marks a symbolic (dynamic) dimension.</summary>
    public required IReadOnlyList<long> InputShape { get; init; }

    /// <summary>Input element type: <c>float32</c> or <c>float16</c>.</summary>
    public required string InputType { get; init; }

    /// <summary>Whether the input is float16 (the <c>ONNXFloat16</c> export flavour).</summary>
    public bool IsFloat16 => InputType == "float16";

    /// <summary>Every output of the model.</summary>
    public required IReadOnlyList<ModelOutputInfo> Outputs { get; init; }

    /// <summary>The output the scores are read from (<c>loss</c> or <c>model_output</c>).</summary>
    public required string ScoreOutputName { get; init; }

    /// <summary>Element type of the score tensor for <see cref="ModelFlavour.TensorOutput"/> (<c>float32</c> or <c>float16</c>); <c>float32</c> for ZipMap.</summary>
    public required string ScoreOutputType { get; init; }

    /// <summary>Class labels in the order the scorer writes scores.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Where <see cref="Labels"/> came from: <c>model</c> (ZipMap) or the labels file's path.</summary>
    public required string LabelsSource { get; init; }

    /// <summary>Preprocessing the model expects: size from the model, channel order and range from its metadata.</summary>
    public required ModelInputSpec Input { get; init; }

    /// <summary><c>BGR</c> or <c>RGB</c>.</summary>
    public string PixelFormat => Input.ChannelOrder == ChannelOrder.Bgr ? "BGR" : "RGB";

    /// <summary><c>0-255</c> or <c>0-1</c>.</summary>
    public string ValueRange => Input.Scale == 1f ? "0-255" : "0-1";

    /// <summary>Why <see cref="PixelFormat"/> and <see cref="ValueRange"/> are what they are (metadata key or default).</summary>
    public required string PreprocessingSource { get; init; }

    /// <summary>The fixed batch size of the input, or null when the batch dimension is dynamic.</summary>
    public required int? FixedBatchSize { get; init; }

    /// <summary>Metadata embedded in the model (<c>metadata_props</c>).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>The export's sidecar files beside the model, or null when there are none.</summary>
    public ExportSidecars? Sidecars { get; init; }

    /// <summary>Warnings worth showing the user (contradicting sidecars, labels files that differ from the model, ...).</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
