namespace UrbanScore.Sources;

/// <summary>A tile body read from <see cref="TileDiskCache"/>: pooled bytes the reader owns, and the server's ETag.</summary>
/// <param name="Buffer">Bytes rented from the shared array pool.</param>
/// <param name="Length">Valid bytes in <paramref name="Buffer"/>.</param>
/// <param name="ETag">The ETag the server sent with the body, or null (then the entry is used without asking).</param>
internal readonly record struct CachedTile(byte[] Buffer, int Length, string? ETag);
