using System.Globalization;

namespace UrbanScore.Inference;

/// <summary>Where ONNX Runtime runs the model: <c>cpu</c> or <c>cuda[:id]</c>.</summary>
/// <param name="IsCuda">True for the CUDA execution provider (needs the GPU build, <c>-p:OrtFlavor=Gpu</c>).</param>
/// <param name="DeviceId">CUDA device ordinal; 0 for the CPU.</param>
public readonly record struct ExecutionDevice(bool IsCuda, int DeviceId)
{
    /// <summary>The CPU execution provider.</summary>
    public static ExecutionDevice Cpu => new(IsCuda: false, DeviceId: 0);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <exception cref="UrbanScoreException">Anything else.</exception>
    public static ExecutionDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return Cpu;
        }

        if (value.Equals("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return new ExecutionDevice(IsCuda: true, DeviceId: 0);
        }

        if (value.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new ExecutionDevice(IsCuda: true, DeviceId: id);
        }

        throw new UrbanScoreException($"unknown device '{text}'; use cpu, cuda or cuda:N (N = GPU index).");
    }

    /// <inheritdoc />
    public override string ToString() => IsCuda ? string.Create(CultureInfo.InvariantCulture, $"cuda:{DeviceId}") : "cpu";
}
