using System.Buffers;
using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// The outcome of fetching one tile. When <see cref="Status"/> is <see cref="TileStatus.Scored"/> (meaning "has an
/// image to score"), <see cref="Buffer"/> holds <see cref="Length"/> encoded bytes rented from
/// <see cref="ArrayPool{T}.Shared"/>: the consumer owns it and returns it with <see cref="ReturnBuffer"/>.
/// </summary>
/// <param name="Tile">The tile.</param>
/// <param name="Status">Image to score, empty, or failed.</param>
/// <param name="Buffer">Pooled encoded bytes, or null.</param>
/// <param name="Length">Number of valid bytes in <paramref name="Buffer"/>.</param>
/// <param name="Reason">Why the tile is empty or failed (secrets redacted), or null.</param>
/// <param name="Attempts">HTTP attempts made.</param>
public readonly record struct FetchedTile(TileIndex Tile, TileStatus Status, byte[]? Buffer, int Length, string? Reason, int Attempts)
{
    /// <summary>The encoded bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer is null ? [] : Buffer.AsSpan(0, Length);

    /// <summary>Returns the pooled buffer, if any. Call once.</summary>
    public void ReturnBuffer()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
