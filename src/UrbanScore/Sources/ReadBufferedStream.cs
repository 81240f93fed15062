namespace UrbanScore.Sources;

/// <summary>
/// A connection's stream with a large read buffer, so that one <c>recv</c> takes a whole tile response. The HTTP client
/// reads a response through a 4 KiB buffer: the headers and the first bytes of the body in one read, the rest of the
/// body in another, each a system call (and a costly one on a paravirtualised machine). Through this stream the first
/// read takes everything the kernel holds (up to <see cref="BufferSize"/>), and the later reads of the response are
/// copies. The client's zero-byte read on an idle connection (its wait for the next response) becomes a read into
/// this buffer, so that the wait and the read are one call. Writes pass straight through: the client sends a request
/// in one write and never flushes, which is why this is not <see cref="BufferedStream"/> (it holds writes until a
/// flush). Owns the inner stream.
/// </summary>
internal sealed class ReadBufferedStream : Stream
{
    /// <summary>Bytes per read: a 256² JPEG or PNG tile and its headers fit, and larger reads go straight through.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _disposed;

    public ReadBufferedStream(Stream inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start == _end && !_endOfStream)
        {
            if (buffer.Length >= BufferSize)
            {
                return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            Filled(await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false));
        }

        return Take(buffer.Span);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end && !_endOfStream)
        {
            if (buffer.Length >= BufferSize)
            {
                return _inner.Read(buffer);
            }

            Filled(_inner.Read(_buffer));
        }

        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Whether a connection for <paramref name="scheme"/> speaking <paramref name="version"/> gains from the buffer:
    /// plain HTTP/1.x. Over TLS each read yields one record at most, and HTTP/2 reads frames through its own buffer.
    /// </summary>
    public static bool Helps(string? scheme, Version version) =>
        string.Equals(scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && version.Major == 1;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Filled(int read)
    {
        _start = 0;
        _end = read;
        _endOfStream = read == 0;
    }

    /// <summary>Copies buffered bytes; 0 for a zero-byte read (data is ready) or at the end of the stream.</summary>
    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }
}
