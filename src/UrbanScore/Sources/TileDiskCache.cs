using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace UrbanScore.Sources;

/// <summary>
/// A disk cache of fetched tile bodies (<c>--cache DIR</c>), so a re-run or a run with another model does not download
/// a tile again. The key is the SHA-256 of the tile URL with its secrets redacted (<see cref="SecretRedactor"/>), so it
/// covers source and tile, never holds an API key, and never turns server text into a path segment. One file per tile,
/// <c>DIR/ab/abcdef….tile</c>: a small header with the server's ETag, then the body exactly as received. Files are
/// written to a temporary name and renamed, so a killed run leaves whole entries or none. The cache has no size bound
/// other than the disk: delete the folder to empty it. Thread-safe (entries are independent files).
/// </summary>
internal sealed class TileDiskCache
{
    // File layout: magic "USTC" (4 bytes), ETag length (int32 little-endian), ETag (UTF-8), body.
    private static readonly byte[] s_magic = "USTC"u8.ToArray();
    private const int HeaderBytes = 8;
    private const int MaxETagBytes = 1024;
    private readonly string _root;
    private long _hits;

    public TileDiskCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        try
        {
            Directory.CreateDirectory(_root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UrbanScoreException($"The cache folder {root} cannot be created ({ex.Message}); give a writable folder.")
            { Subject = InputSubject.Cache };
        }
    }

    /// <summary>Entries read from disk so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>The file holding a URL's entry (always under the cache root: the name is a hash).</summary>
    public string PathFor(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecretRedactor.Redact(uri.AbsoluteUri))));
        return Path.Combine(_root, hash[..2], hash + ".tile");
    }

    /// <summary>
    /// Reads a URL's entry. The body goes into a buffer rented from <see cref="ArrayPool{T}.Shared"/> that the caller
    /// owns. Returns false when there is no readable entry (a damaged one counts as absent).
    /// </summary>
    public bool TryRead(Uri uri, out CachedTile entry)
    {
        entry = default;
        var path = PathFor(uri);
        byte[]? buffer = null;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            if (length < HeaderBytes || length > int.MaxValue)
            {
                return false;
            }

            Span<byte> header = stackalloc byte[HeaderBytes];
            if (RandomAccess.Read(handle, header, 0) != HeaderBytes || !header[..4].SequenceEqual(s_magic))
            {
                return false;
            }

            var etagLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            if (etagLength is < 0 or > MaxETagBytes || HeaderBytes + etagLength > length)
            {
                return false;
            }

            var etagBytes = new byte[etagLength];
            RandomAccess.Read(handle, etagBytes, HeaderBytes);
            var bodyLength = (int)(length - HeaderBytes - etagLength);
            buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, bodyLength));
            var read = 0;
            while (read < bodyLength)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, bodyLength - read), HeaderBytes + etagLength + read);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return false;
                }

                read += n;
            }

            entry = new CachedTile(buffer, bodyLength, etagLength == 0 ? null : Encoding.UTF8.GetString(etagBytes));
            Interlocked.Increment(ref _hits);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (buffer is not null && entry.Buffer is null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return false;
        }
    }

    /// <summary>
    /// Stores a body and its ETag atomically. A failure to write (disk full, permissions) is not an error of the
    /// tile: the cache is an optimisation, so it is swallowed and the next run downloads the tile again.
    /// </summary>
    public async Task WriteAsync(Uri uri, ReadOnlyMemory<byte> body, string? etag, CancellationToken cancellationToken)
    {
        var path = PathFor(uri);
        var etagBytes = etag is null ? [] : Encoding.UTF8.GetBytes(etag);
        if (etagBytes.Length > MaxETagBytes)
        {
            etagBytes = [];
        }

        var file = new byte[HeaderBytes + etagBytes.Length + body.Length];
        s_magic.CopyTo(file, 0);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), etagBytes.Length);
        etagBytes.CopyTo(file, HeaderBytes);
        body.Span.CopyTo(file.AsSpan(HeaderBytes + etagBytes.Length));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await AtomicFile.WriteAllBytesAsync(path, file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // See the summary: a cache that cannot be written only costs a download next time.
        }
    }
}
