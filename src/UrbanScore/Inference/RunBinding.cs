using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace UrbanScore.Inference;

/// <summary>
/// One reusable ONNX Runtime I/O binding and its host buffers, used by one <c>Run</c> at a time. The same code serves
/// every execution provider: the input is bound from host memory and the output is bound to host memory
/// (<see cref="HostMemory"/>), so ONNX Runtime copies in and out once per batch and allocates nothing per call on the
/// managed side beyond the output wrappers. With a staging allocator (CUDA: ORT's page-locked "CudaPinned" host
/// memory, so the copies to and from the device are DMA transfers), the input is first copied into a staging buffer
/// that lives as long as this binding; without one (CPU), the caller's pinned batch memory is bound as it is.
/// Owns the binding, the staging buffer and the float16 conversion buffer; dispose it with the scorer.
/// </summary>
internal sealed class RunBinding : IDisposable
{
    private readonly OrtIoBinding _binding;
    private readonly OrtAllocator? _stagingAllocator;
    private OrtValue? _staging;
    private long _stagingBytes;
    private Float16[]? _half;

    /// <summary>Creates a binding on <paramref name="session"/>.</summary>
    /// <param name="session">The session the binding runs on.</param>
    /// <param name="hostMemory">Where outputs land and, when staging, where the input is staged.</param>
    /// <param name="stagingAllocator">Allocator of <paramref name="hostMemory"/> to stage inputs in, or null to bind
    /// the caller's memory directly. Borrowed: the caller disposes it after this binding.</param>
    public RunBinding(InferenceSession session, OrtMemoryInfo hostMemory, OrtAllocator? stagingAllocator)
    {
        HostMemory = hostMemory;
        _stagingAllocator = stagingAllocator;
        _binding = session.CreateIoBinding();
    }

    /// <summary>Host memory the outputs are bound to.</summary>
    public OrtMemoryInfo HostMemory { get; }

    /// <summary>Whether inputs are copied into a staging buffer from the staging allocator.</summary>
    public bool Stages => _stagingAllocator is not null;

    /// <summary>
    /// Runs <paramref name="session"/> on <paramref name="images"/> (float32 planes, shape <paramref name="shape"/>)
    /// and returns the bound output values; the caller disposes them before the next call.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, RunOptions runOptions, string inputName, string outputName, Memory<float> images, long[] shape, bool float16)
    {
        using var input = CreateInput(images, shape, float16);
        _binding.BindInput(inputName, input);
        _binding.BindOutputToDevice(outputName, HostMemory);
        _binding.SynchronizeBoundInputs();
        session.RunWithBinding(runOptions, _binding);
        _binding.SynchronizeBoundOutputs();
        return _binding.GetOutputValues();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _binding.Dispose();
        _staging?.Dispose();
    }

    private unsafe OrtValue CreateInput(Memory<float> images, long[] shape, bool float16)
    {
        var count = images.Length;
        if (_stagingAllocator is null)
        {
            if (!float16)
            {
                // Pins the caller's memory for the Run; no copy.
                return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images, shape);
            }

            if (_half is null || _half.Length < count)
            {
                _half = new Float16[count];
            }

            TensorPrimitives.ConvertToHalf(images.Span, MemoryMarshal.Cast<Float16, Half>(_half.AsSpan(0, count)));
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _half.AsMemory(0, count), shape);
        }

        var bytes = (long)count * (float16 ? sizeof(ushort) : sizeof(float));
        if (_staging is null || _stagingBytes < bytes)
        {
            // A flat byte tensor from the staging allocator owns the buffer; each call views it with its own shape.
            _staging?.Dispose();
            _staging = OrtValue.CreateAllocatedTensorValue(_stagingAllocator, TensorElementType.UInt8, [bytes]);
            _stagingBytes = bytes;
        }

        var raw = _staging.GetTensorMutableRawData();
        if (float16)
        {
            TensorPrimitives.ConvertToHalf(images.Span, MemoryMarshal.Cast<byte, Half>(raw)[..count]);
        }
        else
        {
            images.Span.CopyTo(MemoryMarshal.Cast<byte, float>(raw)[..count]);
        }

        var type = float16 ? TensorElementType.Float16 : TensorElementType.Float;
        fixed (byte* pointer = raw)
        {
            // The staging value is not moved by the GC (native memory), so the pointer outlives this block.
            return OrtValue.CreateTensorValueWithData(_stagingAllocator.Info, type, shape, (IntPtr)pointer, bytes);
        }
    }
}
