using Microsoft.Win32.SafeHandles;

namespace UrbanScore.Rendering;

/// <summary>
/// A private temporary file of compressed tiles for every COG level, plus an in-memory index (12 bytes per tile):
/// a "blob spool plus an index" (docs/outputs.md). Level 0 is streamed here while rows arrive,
/// overviews are built from it, and the COG is assembled from it by raw copy.
/// </summary>
/// <remarks>
/// Owns the file handle; the file is deleted when the spool is disposed (or the process dies: DeleteOnClose).
/// <see cref="Append"/> is for one writer thread; <see cref="Read"/> may run on many threads at once (positional reads).
/// </remarks>
internal sealed class CogTileSpool : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long[][] _offsets;
    private readonly int[][] _lengths;
    private long _end;

    /// <summary>Creates the spool file (which must not exist) with room in the index for each level's tiles.</summary>
    public CogTileSpool(string path, IReadOnlyList<CogLevel> levels)
    {
        _offsets = new long[levels.Count][];
        _lengths = new int[levels.Count][];
        for (var i = 0; i < levels.Count; i++)
        {
            _offsets[i] = new long[levels[i].TileCount];
            _lengths[i] = new int[levels[i].TileCount];
        }

        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    /// <summary>Bytes of compressed tiles written so far.</summary>
    public long Length => _end;

    /// <summary>Appends one compressed tile; each (level, tile) once.</summary>
    public void Append(int level, int tile, ReadOnlySpan<byte> compressed)
    {
        RandomAccess.Write(_handle, compressed, _end);
        _offsets[level][tile] = _end;
        _lengths[level][tile] = compressed.Length;
        _end += compressed.Length;
    }

    /// <summary>Compressed size of a tile already appended.</summary>
    public int TileLength(int level, int tile) => _lengths[level][tile];

    /// <summary>Reads a tile's compressed bytes into <paramref name="buffer"/>, growing it when too small; returns the length.</summary>
    public int Read(int level, int tile, ref byte[] buffer)
    {
        var length = _lengths[level][tile];
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var span = buffer.AsSpan(0, length);
        var offset = _offsets[level][tile];
        while (!span.IsEmpty)
        {
            var read = RandomAccess.Read(_handle, span, offset);
            if (read == 0)
            {
                throw new IOException("The COG tile spool ended early; the temporary file was truncated.");
            }

            span = span[read..];
            offset += read;
        }

        return length;
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
