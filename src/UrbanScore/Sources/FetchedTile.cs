using System.Buffers;
using UrbanScore.Tiling;

namespace UrbanScore.Sources;

/// <summary>
/// The outcome of fetching one tile. When <see cref="Status"/> is <see cref="FetchStatus.Image"/>,
/// <see cref="Buffer"/> holds <see cref="Length"/> encoded bytes rented from <see cref="ArrayPool{T}.Shared"/>: the
/// consumer owns it and returns it with <see cref="ReturnBuffer"/>.
/// </summary>
/// <param name="Tile">The tile.</param>
/// <param name="Status">Image, empty, or failed.</param>
/// <param name="Buffer">Pooled encoded bytes, or null.</param>
/// <param name="Length">Number of valid bytes in <paramref name="Buffer"/>.</param>
/// <param name="Kind">Why the tile is empty or failed, as a fixed word; <see cref="FailureKind.None"/> for an image.</param>
/// <param name="Reason">Why the tile is empty or failed, for people (secrets redacted), or null.</param>
/// <param name="Attempts">HTTP attempts made.</param>
public readonly record struct FetchedTile(TileIndex Tile, FetchStatus Status, byte[]? Buffer, int Length, FailureKind Kind, string? Reason, int Attempts)
{
    /// <summary>The encoded bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Buffer is null ? [] : Buffer.AsSpan(0, Length);

    /// <summary>Whether encoded image bytes arrived (<see cref="Buffer"/> is set).</summary>
    public bool HasImage => Status == FetchStatus.Image;

    /// <summary>A tile with image bytes; the consumer owns <paramref name="buffer"/>.</summary>
    public static FetchedTile Image(TileIndex tile, byte[] buffer, int length, int attempts) =>
        new(tile, FetchStatus.Image, buffer, length, FailureKind.None, null, attempts);

    /// <summary>A tile the server has no imagery for.</summary>
    public static FetchedTile Empty(TileIndex tile, FailureKind kind, string reason, int attempts) =>
        new(tile, FetchStatus.Empty, null, 0, kind, reason, attempts);

    /// <summary>A tile that could not be fetched.</summary>
    public static FetchedTile Failed(TileIndex tile, FailureKind kind, string reason, int attempts) =>
        new(tile, FetchStatus.Failed, null, 0, kind, reason, attempts);

    /// <summary>Returns the pooled buffer, if any. Call once.</summary>
    public void ReturnBuffer()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
