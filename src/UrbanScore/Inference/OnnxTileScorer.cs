using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace UrbanScore.Inference;

/// <summary>
/// Scores batches of preprocessed tiles with ONNX Runtime. Owns its <see cref="InferenceSession"/>,
/// <see cref="SessionOptions"/>, <see cref="RunOptions"/> and the reusable I/O bindings with their host buffers; dispose it to
/// release them (the caller owns the scorer and keeps owning the input memory it passes to <see cref="Score"/>, which
/// is wrapped without copying and never retained after the call).
/// <para>
/// Dynamic-batch models run each <see cref="Score"/> call as one [count,3,H,W] tensor. Fixed-batch models (Custom
/// Vision's newer exports fix N = 1) run the images as one <c>Run</c> per N images, one after another on the calling
/// thread when <see cref="ConcurrentRuns"/> is 1 (the pipeline: one worker per core), else several at once with the
/// intra-op threads split between them and spinning off; a last partial fixed batch &gt; 1 is padded
/// with zeros. Every <c>Run</c> goes through a reusable I/O binding (<see cref="RunBinding"/>): on CUDA the input is
/// staged in, and the output read from, page-locked host memory.
/// Scores come from the seq(map) <c>loss</c> output by label name, or from the float tensor by index, with a softmax
/// only for a row whose values fall outside [0, 1] (raw logits).
/// </para>
/// <see cref="Score"/> may be called from several threads at once.
/// </summary>
public sealed class OnnxTileScorer : ITileScorer
{
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly ModelInfo _model;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly Dictionary<string, int> _labelIndex;
    private readonly int _chunkSize;
    private readonly int _concurrency;
    private readonly ConcurrentBag<RunBinding> _bindings = [];
    private readonly OrtMemoryInfo _hostMemory;
    private readonly OrtAllocator? _pinnedAllocator;
    private int[]? _zipMapOrder;

    /// <summary>Opens <paramref name="model"/> (from <see cref="ModelInspector.Inspect"/>) for scoring.</summary>
    /// <exception cref="UrbanScoreException">Bad options, a CUDA device on the CPU build, or a model ORT cannot load.</exception>
    public OnnxTileScorer(ModelInfo model, OnnxScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxScorerOptions();
        if (options.BatchSize < 1 || options.IntraOpThreads < 0 || options.ConcurrentRuns < 0)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"batch size {options.BatchSize}, intra-op threads {options.IntraOpThreads} and concurrent runs {options.ConcurrentRuns} must be positive (0 = automatic for the last two); fix the options."));
        }

        _model = model;
        Options = options;
        MaxBatchSize = options.BatchSize;
        var fixedBatch = model.FixedBatchSize ?? 0;
        _chunkSize = fixedBatch;
        _concurrency = fixedBatch == 0 ? 1 : options.ConcurrentRuns > 0 ? options.ConcurrentRuns : Math.Clamp(MaxBatchSize / fixedBatch, 1, Environment.ProcessorCount);
        _inputName = model.InputName;
        _outputName = model.ScoreOutputName;
        _labelIndex = model.Labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);

        _sessionOptions = CreateSessionOptions(options, _concurrency);
        try
        {
            _session = CreateSession(model, options, _sessionOptions);
            _runOptions = new RunOptions();
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }

        _hostMemory = OrtMemoryInfo.DefaultInstance;
        if (options.Device.IsCuda)
        {
            // Page-locked host memory from the CUDA provider's own allocator: inputs are staged there and outputs
            // land there, so each transfer is one DMA copy rather than a bounce through a driver buffer.
            _hostMemory = new OrtMemoryInfo("CudaPinned", OrtAllocatorType.DeviceAllocator, options.Device.DeviceId, OrtMemType.CpuOutput);
            _pinnedAllocator = new OrtAllocator(_session, _hostMemory);
        }
    }

    /// <inheritdoc />
    public ModelInputSpec Input => _model.Input;

    /// <inheritdoc />
    public IReadOnlyList<string> Labels => _model.Labels;

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <summary>The model this scorer runs.</summary>
    public ModelInfo Model => _model;

    /// <summary>The options the session was created with.</summary>
    public OnnxScorerOptions Options { get; }

    /// <summary>Concurrent <c>Run</c> calls per <see cref="Score"/> (1 for dynamic-batch models).</summary>
    public int ConcurrentRuns => _concurrency;

    /// <inheritdoc />
    public void Score(Memory<float> input, int count, Span<float> scores)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBatchSize);
        var perImage = _model.Input.ValuesPerImage;
        var classes = _model.Labels.Count;
        if (input.Length < count * perImage)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"input holds {input.Length} floats, {count} images need {count * perImage}"), nameof(input));
        }

        if (scores.Length < count * classes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"scores holds {scores.Length} floats, {count} images need {count * classes}"), nameof(scores));
        }

        if (_chunkSize == 0)
        {
            RunChunk(input[..(count * perImage)], count, count, scores);
            return;
        }

        var chunks = (count + _chunkSize - 1) / _chunkSize;
        if (chunks == 1 && count == _chunkSize)
        {
            RunChunk(input[..(count * perImage)], count, count, scores);
            return;
        }

        if (_concurrency == 1)
        {
            // One Run after another on this thread: the caller is one of several per-core workers.
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                var first = chunk * _chunkSize;
                var valid = Math.Min(_chunkSize, count - first);
                RunFixedChunk(input, first, valid, scores.Slice(first * classes, valid * classes));
            }

            return;
        }

        // Several Runs at once. Span cannot cross into the lambda, so the rows land in a rented array first.
        var rows = ArrayPool<float>.Shared.Rent(count * classes);
        try
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _concurrency }, chunk =>
            {
                var first = chunk * _chunkSize;
                var valid = Math.Min(_chunkSize, count - first);
                RunFixedChunk(input, first, valid, rows.AsSpan(first * classes, valid * classes));
            });
            rows.AsSpan(0, count * classes).CopyTo(scores);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    /// <summary>
    /// Scores one full batch of zeros and drops the result. ONNX Runtime sizes its buffers and sets up its kernels on a
    /// session's first <c>Run</c>, and our own binding and output code is compiled on first use; a run that opens the
    /// model beside other start-up work (as a scoring run does) pays for that there instead of on its first
    /// real batch. Costs one batch.
    /// </summary>
    public void WarmUp()
    {
        var input = GC.AllocateArray<float>(MaxBatchSize * _model.Input.ValuesPerImage, pinned: true);
        var scores = new float[MaxBatchSize * _model.Labels.Count];
        Score(input, MaxBatchSize, scores);
    }

    /// <summary>Releases the session, its options and buffers. The caller's input memory is not touched.</summary>
    public void Dispose()
    {
        while (_bindings.TryTake(out var binding))
        {
            binding.Dispose();
        }

        _pinnedAllocator?.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        _sessionOptions.Dispose();
        if (!ReferenceEquals(_hostMemory, OrtMemoryInfo.DefaultInstance))
        {
            _hostMemory.Dispose();
        }
    }

    /// <summary>Runs images [first, first + valid) of a fixed-batch model as one Run, zero-padding a partial chunk.</summary>
    private void RunFixedChunk(Memory<float> input, int first, int valid, Span<float> destination)
    {
        var perImage = _model.Input.ValuesPerImage;
        if (valid == _chunkSize)
        {
            RunChunk(input.Slice(first * perImage, valid * perImage), _chunkSize, valid, destination);
            return;
        }

        var padded = ArrayPool<float>.Shared.Rent(_chunkSize * perImage);
        try
        {
            input.Span.Slice(first * perImage, valid * perImage).CopyTo(padded);
            padded.AsSpan(valid * perImage, (_chunkSize - valid) * perImage).Clear();
            RunChunk(padded.AsMemory(0, _chunkSize * perImage), _chunkSize, valid, destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
        }
    }

    private void RunChunk(Memory<float> images, int batch, int valid, Span<float> destination)
    {
        long[] shape = [batch, 3, _model.Input.Height, _model.Input.Width];
        if (!_bindings.TryTake(out var binding))
        {
            binding = new RunBinding(_session, _hostMemory, _pinnedAllocator);
        }

        try
        {
            using var outputs = binding.Run(_session, _runOptions, _inputName, _outputName, images, shape, _model.IsFloat16);
            if (_model.Flavour == ModelFlavour.ZipMap)
            {
                ReadMaps(outputs[0], valid, destination);
            }
            else
            {
                ReadTensor(outputs[0], valid, destination);
            }
        }
        finally
        {
            // One binding per concurrent caller: the bag holds as many as Runs ever overlapped.
            _bindings.Add(binding);
        }
    }

    private void ReadMaps(OrtValue sequence, int valid, Span<float> destination)
    {
        var classes = _model.Labels.Count;
        var maps = sequence.GetValueCount();
        if (maps < valid)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{_model.Path} returned {maps} score maps for {valid} images; re-export the model from Custom Vision."));
        }

        var allocator = OrtAllocator.DefaultInstance;
        for (var i = 0; i < valid; i++)
        {
            var row = destination.Slice(i * classes, classes);
            row.Clear();
            using var map = sequence.GetValue(i, allocator);
            var order = _zipMapOrder;
            if (order is null)
            {
                // ZipMap's keys come from the node's classlabels attribute: the same order in every map of every
                // Run, so they are read (as managed strings) once, not per tile. A benign race: both threads compute
                // the same array.
                using var keys = map.GetValue(0, allocator);
                order = [.. keys.GetStringTensorAsArray().Select(name => _labelIndex.TryGetValue(name, out var index) ? index : -1)];
                _zipMapOrder = order;
            }

            using var values = map.GetValue(1, allocator);
            var probabilities = values.GetTensorDataAsSpan<float>();
            for (var k = 0; k < order.Length && k < probabilities.Length; k++)
            {
                if (order[k] >= 0)
                {
                    row[order[k]] = probabilities[k];
                }
            }
        }
    }

    private void ReadTensor(OrtValue output, int valid, Span<float> destination)
    {
        var classes = _model.Labels.Count;
        var info = output.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (shape.Length != 2 || shape[0] < valid || shape[1] != classes)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"{_model.Path} returned '{_model.ScoreOutputName}' of shape [{string.Join(",", shape)}] for {valid} images but has {classes} labels; use the labels.txt from the same Custom Vision export."));
        }

        var target = destination[..(valid * classes)];
        if (info.ElementDataType == TensorElementType.Float16)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(output.GetTensorDataAsSpan<Float16>()[..target.Length]), target);
        }
        else
        {
            output.GetTensorDataAsSpan<float>()[..target.Length].CopyTo(target);
        }

        for (var i = 0; i < valid; i++)
        {
            var row = target.Slice(i * classes, classes);
            if (TensorPrimitives.Min(row) < 0f || TensorPrimitives.Max(row) > 1f)
            {
                // Raw logits, not probabilities (defensive: Custom Vision exports end in Softmax or Sigmoid, see ModelInspector).
                TensorPrimitives.SoftMax(row, row);
            }
        }
    }

    /// <summary>Refuses a device this build's ONNX Runtime has no execution provider for (CUDA on the CPU build).</summary>
    /// <exception cref="UrbanScoreException">The device needs the GPU build.</exception>
    internal static void CheckBuildRuns(ExecutionDevice device)
    {
#if !ORT_GPU
        if (device.IsCuda)
        {
            throw new UrbanScoreException($"The device {device} needs the GPU build of UrbanScore; this one has the CPU ONNX Runtime, so rebuild with 'dotnet build -p:OrtFlavor=Gpu' (restores Microsoft.ML.OnnxRuntime.Gpu from nuget.org; needs CUDA 12 and cuDNN 9) or score on the CPU.")
            { Subject = InputSubject.Device };
        }
#endif
    }

    private static SessionOptions CreateSessionOptions(OnnxScorerOptions options, int concurrency)
    {
        var sessionOptions = new SessionOptions();
        try
        {
            sessionOptions.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
            sessionOptions.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            var intraOp = options.IntraOpThreads;
            if (concurrency > 1)
            {
                // Several Runs overlap: split the cores between them, or they oversubscribe the CPU (docs/performance.md).
                intraOp = intraOp > 0 ? intraOp : Math.Max(1, Environment.ProcessorCount / concurrency);
            }

            if (!(options.AllowSpinning ?? concurrency == 1))
            {
                // Idle threads yield their core instead of spinning: to the other Runs, or to the decode workers.
                sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            }

            if (intraOp > 0)
            {
                sessionOptions.IntraOpNumThreads = intraOp;
            }

            CheckBuildRuns(options.Device);
#if ORT_GPU
            if (options.Device.IsCuda)
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.Device.DeviceId);
            }
#endif

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static InferenceSession CreateSession(ModelInfo model, OnnxScorerOptions options, SessionOptions sessionOptions)
    {
        var source = model.Path;
        if (options.OptimizedModelCachePath is { Length: > 0 } cache)
        {
            var cachePath = Path.GetFullPath(cache);
            if (File.Exists(cachePath) && File.GetLastWriteTimeUtc(cachePath) > File.GetLastWriteTimeUtc(model.Path))
            {
                source = cachePath;
            }
            else
            {
                sessionOptions.OptimizedModelFilePath = cachePath;
            }
        }

        try
        {
            return new InferenceSession(source, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            var hint = options.Device.IsCuda ? "check the CUDA and cuDNN installation or score on the CPU" : "run 'urbanscore inspect-model' on it";
            throw new UrbanScoreException($"{source} could not be loaded by ONNX Runtime ({ex.Message.Split('\n', 2)[0].Trim()}); {hint}.", ex)
            { Subject = options.Device.IsCuda ? InputSubject.Device : InputSubject.None };
        }
    }
}
