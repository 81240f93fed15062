using UrbanScore.Tiling;

namespace UrbanScore.Pipeline;

/// <summary>
/// One compute worker's batch: model input planes for up to <see cref="Capacity"/> tiles in one pinned array (so ONNX
/// Runtime reads it without copying), and which tile sits in each slot. Allocated once per worker, reused for every
/// batch; only its worker touches it.
/// </summary>
internal sealed class TensorBatch
{
    public TensorBatch(int capacity, int valuesPerImage)
    {
        Capacity = capacity;
        ValuesPerImage = valuesPerImage;
        Input = GC.AllocateUninitializedArray<float>(capacity * valuesPerImage, pinned: true);
        Tiles = new TileIndex[capacity];
        Attempts = new int[capacity];
    }

    public int Capacity { get; }

    public int ValuesPerImage { get; }

    public float[] Input { get; }

    public TileIndex[] Tiles { get; }

    public int[] Attempts { get; }

    /// <summary>Slots filled so far.</summary>
    public int Count { get; set; }

    public Span<float> Slot(int index) => Input.AsSpan(index * ValuesPerImage, ValuesPerImage);
}
