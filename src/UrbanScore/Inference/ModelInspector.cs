using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace UrbanScore.Inference;

/// <summary>
/// Recognises the flavour of an Azure Custom Vision ONNX classification export from the model file alone (plus the
/// export's <c>labels.txt</c> beside it or an explicit labels file) and derives the preprocessing it needs. Follows
/// Custom Vision's ONNX exports (models/MODEL.md; the flavours are the test models in tests/UrbanScore.Tests/TestData/models): input <c>data</c> NCHW [N,3,H,W] with H and W from the model; scores from a seq(map) ZipMap output
/// (labels from the map) or a float tensor <c>model_output</c> (labels from <c>labels.txt</c>); channel order and range
/// from the embedded <c>Image.BitmapPixelFormat</c> / <c>Image.NominalPixelRange</c> metadata, default BGR 0–255.
/// Every model UrbanScore cannot use is an <see cref="UrbanScoreException"/> naming the file and the fix.
/// Thread-safe (stateless).
/// </summary>
public static class ModelInspector
{
    /// <summary>Name of the labels file a Custom Vision export puts beside the model.</summary>
    public const string DefaultLabelsFileName = "labels.txt";

    // ONNX Runtime only guarantees models stamped with opset 7 or above; Custom Vision's 2018 "ONNX 1.0" exports are
    // opset 1 and fail to load.
    private const long MinimumOpset = 7;

    /// <summary>Inspects <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="labelsPath">
    /// Labels file (one tag per line) overriding the export's <c>labels.txt</c> beside the model; required only for
    /// the <see cref="ModelFlavour.TensorOutput"/> flavour when no <c>labels.txt</c> is there.
    /// </param>
    /// <exception cref="UrbanScoreException">The model cannot be used; the message says why and what to do.</exception>
    public static ModelInfo Inspect(string modelPath, string? labelsPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var (path, bytes, header, producer) = ReadModelFile(modelPath);
        using var options = new SessionOptions
        {
            // Inspection needs the graph's signature only: skip optimisation and ORT's warnings on stderr.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        using var session = LoadSession(path, bytes, options, producer);
        var notes = new List<string>();

        var (inputName, inputShape, isFloat16) = ReadInput(path, session);
        var outputs = session.OutputMetadata.Select(o => new ModelOutputInfo(o.Key, Describe(o.Value))).ToList();
        var (flavour, scoreOutput) = FindScoreOutput(path, session, outputs);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var sidecars = ExportSidecars.Read(folder);
        CheckSidecars(path, sidecars, isFloat16, notes);

        var (labels, labelsSource) = ReadLabels(path, folder, labelsPath, sidecars, header, session, (inputName, inputShape, isFloat16), (flavour, scoreOutput), notes);
        var (order, scale, preprocessingSource) = ReadPreprocessing(path, header.Metadata, sidecars, notes);
        var batch = inputShape[0];
        return new ModelInfo
        {
            Path = path,
            Flavour = flavour,
            IrVersion = header.IrVersion,
            Opset = header.DefaultOpset,
            Opsets = header.Opsets,
            Producer = producer,
            InputName = inputName,
            InputShape = inputShape,
            InputType = isFloat16 ? "float16" : "float32",
            Outputs = outputs,
            ScoreOutputName = scoreOutput,
            ScoreOutputType = flavour == ModelFlavour.TensorOutput && session.OutputMetadata[scoreOutput].ElementDataType == TensorElementType.Float16 ? "float16" : "float32",
            Labels = labels,
            LabelsSource = labelsSource,
            Input = new ModelInputSpec(Width: (int)inputShape[3], Height: (int)inputShape[2], ChannelOrder: order, Scale: scale),
            PreprocessingSource = preprocessingSource,
            FixedBatchSize = batch > 0 ? (int)batch : null,
            Metadata = header.Metadata,
            Sidecars = sidecars,
            Notes = notes,
        };
    }

    /// <summary>The file stage: the model's bytes and header, refusing a missing file and an opset ONNX Runtime cannot run.</summary>
    private static (string Path, byte[] Bytes, OnnxModelHeader Header, string Producer) ReadModelFile(string modelPath)
    {
        var path = System.IO.Path.GetFullPath(modelPath);
        if (!File.Exists(path))
        {
            throw Fail($"model file {path} does not exist; check the path of the .onnx file.");
        }

        var bytes = File.ReadAllBytes(path);
        var header = ReadHeader(path, bytes);
        var producer = (header.ProducerName + " " + header.ProducerVersion).Trim();
        if (header.DefaultOpset is > 0 and < MinimumOpset)
        {
            throw Fail($"{path} is a 2018 Custom Vision \"ONNX 1.0\" export (opset {header.DefaultOpset}, {producer}) that ONNX Runtime cannot run; re-export the model from Custom Vision (Performance → Export → ONNX) and use the new model.onnx.");
        }

        return (path, bytes, header, producer);
    }

    /// <summary>The labels stage: from the ZipMap (the graph's, or by running it once) or from labels.txt, checked against the model.</summary>
    private static (string[] Labels, string Source) ReadLabels(
        string path,
        string folder,
        string? labelsPath,
        ExportSidecars? sidecars,
        OnnxModelHeader header,
        InferenceSession session,
        (string Name, long[] Shape, bool IsFloat16) input,
        (ModelFlavour Flavour, string Output) score,
        List<string> notes)
    {
        var (inputName, inputShape, isFloat16) = input;
        var (flavour, scoreOutput) = score;
        string[] labels;
        string labelsSource;
        var labelsFile = FindLabelsFile(folder, labelsPath, sidecars);
        if (flavour == ModelFlavour.ZipMap)
        {
            labels = header.ZipMapLabels.TryGetValue(scoreOutput, out var fromGraph)
                ? fromGraph
                : ReadMapKeysByRunning(session, inputName, inputShape, isFloat16, scoreOutput);
            labelsSource = "model";
            if (labelsFile is not null)
            {
                var fileLabels = LabelsFile.Read(labelsFile);
                if (!fileLabels.SequenceEqual(labels, StringComparer.Ordinal))
                {
                    notes.Add($"{labelsFile} lists {string.Join(", ", fileLabels)} but the model's ZipMap has {string.Join(", ", labels)}; the model's labels are used.");
                }
            }
        }
        else
        {
            if (labelsFile is null)
            {
                var expected = labelsPath ?? System.IO.Path.Combine(folder, DefaultLabelsFileName);
                throw Fail($"{path} has a plain '{scoreOutput}' score tensor without class names and {expected} does not exist; put the export's labels.txt beside the model or give a labels file.", subject: InputSubject.Labels);
            }

            labels = LabelsFile.Read(labelsFile);
            labelsSource = labelsFile;
            var classes = session.OutputMetadata[scoreOutput].Dimensions[^1];
            if (classes > 0 && classes != labels.Length)
            {
                throw Fail($"{labelsFile} lists {labels.Length} labels but {path} scores {classes} classes; use the labels.txt from the same export as the model.", subject: InputSubject.Labels);
            }
        }

        return (labels, labelsSource);
    }

    private static OnnxModelHeader ReadHeader(string path, byte[] bytes)
    {
        try
        {
            return OnnxModelHeader.Parse(bytes);
        }
        catch (FormatException ex)
        {
            // ModelProto starts with ir_version (field 1, varint): tag byte 0x08 then a small number.
            var looksLikeOnnx = bytes.Length >= 2 && bytes[0] == 0x08 && bytes[1] is > 0 and < 32;
            throw looksLikeOnnx
                ? Fail($"{path} is truncated or corrupt ({ex.Message} after {bytes.Length} bytes); copy or download the model again from the Custom Vision export.", ex)
                : Fail($"{path} is not an ONNX model; pass the model.onnx file from the Custom Vision export (Export → ONNX).", ex);
        }
    }

    private static InferenceSession LoadSession(string path, byte[] bytes, SessionOptions options, string producer)
    {
        try
        {
            return new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException ex)
        {
            var reason = FirstLine(ex.Message);
            if (producer.StartsWith("WinMLTools", StringComparison.OrdinalIgnoreCase))
            {
                throw Fail($"{path} is an early Custom Vision export ({producer}) that ONNX Runtime cannot load ({reason}); re-export the model from Custom Vision (Performance → Export → ONNX) and use the new model.onnx.", ex);
            }

            throw Fail($"{path} could not be loaded by ONNX Runtime ({reason}); re-export the model from Custom Vision or check that the file is complete.", ex);
        }
    }

    private static (string Name, long[] Shape, bool IsFloat16) ReadInput(string path, InferenceSession session)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw Fail($"{path} has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}) but a Custom Vision classifier has one image input; export the model from Custom Vision as a classification model.");
        }

        var (name, meta) = session.InputMetadata.First();
        if (!meta.IsTensor || meta.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
        {
            throw Fail($"{path} input '{name}' is {Describe(meta)}, not a float32 or float16 image tensor; export the model from Custom Vision as a classification model.");
        }

        var dims = meta.Dimensions;
        if (dims.Length != 4 || dims[1] != 3)
        {
            throw Fail($"{path} input '{name}' has shape {Shape(dims)} but an image classifier takes [N,3,H,W] (NCHW, 3 colour planes); export the model from Custom Vision as a classification model.");
        }

        if (dims[2] <= 0 || dims[3] <= 0)
        {
            throw Fail($"{path} input '{name}' has shape {Shape(dims)} with no fixed image size; export the model from Custom Vision, whose models fix H and W.");
        }

        return (name, dims.Select(d => (long)d).ToArray(), meta.ElementDataType == TensorElementType.Float16);
    }

    private static (ModelFlavour Flavour, string Output) FindScoreOutput(string path, InferenceSession session, List<ModelOutputInfo> outputs)
    {
        string? zipMap = null;
        string? tensor = null;
        foreach (var (name, meta) in session.OutputMetadata)
        {
            if (meta.OnnxValueType == OnnxValueType.ONNX_TYPE_SEQUENCE
                && meta.AsSequenceMetadata().ElementMeta is { OnnxValueType: OnnxValueType.ONNX_TYPE_MAP } element
                && element.AsMapMetadata() is { KeyDataType: TensorElementType.String } map
                && map.ValueMetadata.IsTensor && map.ValueMetadata.ElementDataType == TensorElementType.Float)
            {
                // Prefer Custom Vision's name when several qualify.
                if (zipMap is null || name == "loss")
                {
                    zipMap = name;
                }
            }
            else if (meta.IsTensor && meta.ElementDataType is TensorElementType.Float or TensorElementType.Float16 && meta.Dimensions.Length == 2)
            {
                if (tensor is null || name == "model_output")
                {
                    tensor = name;
                }
            }
        }

        if (zipMap is not null)
        {
            return (ModelFlavour.ZipMap, zipMap);
        }

        if (tensor is not null)
        {
            return (ModelFlavour.TensorOutput, tensor);
        }

        throw Fail($"{path} has no score output UrbanScore recognises (outputs: {string.Join(", ", outputs.Select(o => o.Name + " " + o.Type))}); a Custom Vision classifier has a seq(map(string,float)) 'loss' or a float [N,C] 'model_output' output, so export it from Custom Vision as a classification model.");
    }

    internal static string[] ReadMapKeysByRunning(InferenceSession session, string inputName, long[] shape, bool isFloat16, string output)
    {
        // No ZipMap node names the labels (e.g. a graph built another way): run once on zeros and read the map keys.
        var shapeOne = (long[])shape.Clone();
        shapeOne[0] = Math.Max(1, shape[0]);
        var values = checked((int)(shapeOne[0] * shapeOne[1] * shapeOne[2] * shapeOne[3]));
        using var input = isFloat16
            ? OrtValue.CreateTensorValueFromMemory(new Float16[values], shapeOne)
            : OrtValue.CreateTensorValueFromMemory(new float[values], shapeOne);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [input], [output]);
        using var map = results[0].GetValue(0, OrtAllocator.DefaultInstance);
        using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
        return keys.GetStringTensorAsArray();
    }

    private static string? FindLabelsFile(string folder, string? labelsPath, ExportSidecars? sidecars)
    {
        if (labelsPath is not null)
        {
            var full = System.IO.Path.GetFullPath(labelsPath);
            return File.Exists(full) ? full : throw Fail($"labels file {full} does not exist; pass the labels.txt from the model's Custom Vision export.", subject: InputSubject.Labels);
        }

        if (sidecars?.LabelFileName is { Length: > 0 } named)
        {
            var fromManifest = System.IO.Path.Combine(folder, System.IO.Path.GetFileName(named));
            if (File.Exists(fromManifest))
            {
                return fromManifest;
            }
        }

        var beside = System.IO.Path.Combine(folder, DefaultLabelsFileName);
        return File.Exists(beside) ? beside : null;
    }

    private static void CheckSidecars(string path, ExportSidecars? sidecars, bool isFloat16, List<string> notes)
    {
        if (sidecars is null)
        {
            return;
        }

        if (sidecars.DomainType is { } domain && !domain.Equals("Classification", StringComparison.OrdinalIgnoreCase))
        {
            throw Fail($"{sidecars.ManifestPath} says {path} is a '{domain}' export but UrbanScore scores images with classification models; export a Custom Vision classification project.");
        }

        if (sidecars.ModelFileName is { Length: > 0 } modelName && !modelName.Equals(System.IO.Path.GetFileName(path), StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"{sidecars.ManifestPath} describes {modelName}, not {System.IO.Path.GetFileName(path)}; the sidecars may belong to another export.");
        }

        var saysFloat16 = sidecars.Flavor?.Contains("Float16", StringComparison.OrdinalIgnoreCase) == true;
        if (sidecars.ManifestPath is not null && saysFloat16 != isFloat16)
        {
            notes.Add($"{sidecars.ManifestPath} says Flavor {sidecars.Flavor ?? "null"} but the model's input is {(isFloat16 ? "float16" : "float32")}; the model wins.");
        }
    }

    private static (ChannelOrder Order, float Scale, string Source) ReadPreprocessing(
        string path, Dictionary<string, string> metadata, ExportSidecars? sidecars, List<string> notes)
    {
        // Embedded metadata rules, defaulting to BGR 0-255 (the exports' own convention); the sidecar never decides.
        const string FormatKey = "Image.BitmapPixelFormat";
        const string RangeKey = "Image.NominalPixelRange";
        var sources = new List<string>();

        var order = ChannelOrder.Bgr;
        if (metadata.TryGetValue(FormatKey, out var format))
        {
            order = format switch
            {
                "Bgr8" => ChannelOrder.Bgr,
                "Rgb8" => ChannelOrder.Rgb,
                _ => throw Fail($"{path} declares {FormatKey}={format} but UrbanScore feeds colour images (Bgr8 or Rgb8); export a colour (RGB) Custom Vision model."),
            };
            sources.Add($"{FormatKey}={format}");
        }
        else
        {
            sources.Add($"no {FormatKey}: BGR by default");
        }

        var scale = 1f;
        if (metadata.TryGetValue(RangeKey, out var range))
        {
            scale = range switch
            {
                "NominalRange_0_255" => 1f,
                "Normalized_0_1" => 1f / 255f,
                _ => throw Fail($"{path} declares {RangeKey}={range}, which UrbanScore does not support (only NominalRange_0_255 and Normalized_0_1); re-export the model from Custom Vision."),
            };
            sources.Add($"{RangeKey}={range}");
        }
        else
        {
            sources.Add($"no {RangeKey}: 0-255 by default");
        }

        if (sidecars is not null)
        {
            NoteContradiction(sidecars, FormatKey, order == ChannelOrder.Bgr ? "Bgr8" : "Rgb8", format, notes);
            NoteContradiction(sidecars, RangeKey, scale == 1f ? "NominalRange_0_255" : "Normalized_0_1", range, notes);
        }

        return (order, scale, string.Join("; ", sources));
    }

    private static void NoteContradiction(ExportSidecars sidecars, string key, string used, string? embedded, List<string> notes)
    {
        if (sidecars.Metadata.TryGetValue(key, out var sidecarValue) && sidecarValue != used)
        {
            var why = embedded is null ? "the model embeds no value, so the default" : $"the model embeds {embedded}, which";
            notes.Add($"{sidecars.MetadataPath} says {key}={sidecarValue} but {why} {used} is used (the model's embedded metadata wins; the sidecar is known to be unreliable).");
        }
    }

    internal static string Describe(NodeMetadata meta) => meta.OnnxValueType switch
    {
        OnnxValueType.ONNX_TYPE_TENSOR => $"tensor({ElementName(meta.ElementDataType)}){Shape(meta.Dimensions)}",
        OnnxValueType.ONNX_TYPE_SEQUENCE => $"seq({Describe(meta.AsSequenceMetadata().ElementMeta)})",
        OnnxValueType.ONNX_TYPE_MAP => $"map({ElementName(meta.AsMapMetadata().KeyDataType)},{MapValue(meta.AsMapMetadata().ValueMetadata)})",
        _ => meta.OnnxValueType.ToString(),
    };

    private static string MapValue(NodeMetadata value) =>
        value.IsTensor ? ElementName(value.ElementDataType) : Describe(value);

    private static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "double",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Shape(int[] dims) =>
        "[" + string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private static UrbanScoreException Fail(string message, Exception? inner = null, InputSubject subject = InputSubject.None) =>
        inner is null ? new UrbanScoreException(message) { Subject = subject } : new UrbanScoreException(message, inner) { Subject = subject };
}
