using UrbanScore.Tiling;

namespace UrbanScore.Pipeline;

/// <summary>
/// One reusable batch: model input planes for up to <see cref="Capacity"/> tiles in one pinned array (so ONNX Runtime
/// reads it without copying), and which tile sits in each slot. Allocated once per run, recycled between batches.
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

    /// <summary>Slots handed out (guarded by the assembler's lock).</summary>
    public int Count { get; set; }

    /// <summary>Slots handed out but not yet written (guarded by the assembler's lock).</summary>
    public int Pending { get; set; }

    /// <summary>No more slots will be handed out (guarded by the assembler's lock).</summary>
    public bool Sealed { get; set; }

    public Span<float> Slot(int index) => Input.AsSpan(index * ValuesPerImage, ValuesPerImage);

    public void Reset()
    {
        Count = 0;
        Pending = 0;
        Sealed = false;
    }
}
