using UrbanScore.Sources;

namespace UrbanScore.Tests.Sources;

public sealed class ReadBufferedStreamTests
{
    [Fact]
    public async Task ReadAsync_ResponseReadInSmallPieces_ReadsTheInnerStreamOnce()
    {
        // The HTTP client reads headers through a 4 KiB buffer and then the body: one inner read (one recv) for all.
        var response = Bytes(20_000);
        var inner = new CountingStream(response);
        await using var stream = new ReadBufferedStream(inner);

        var read = await ReadAllAsync(stream, pieceSize: 4096);

        Assert.Equal(response, read);
        Assert.Equal(2, inner.Reads); // the response, then the end of the stream
    }

    [Fact]
    public async Task ReadAsync_ZeroByteRead_WaitsForDataAndKeepsIt()
    {
        // The client's zero-byte read on an idle connection is its wait for the response: it becomes the read.
        var response = Bytes(300);
        var inner = new CountingStream(response);
        await using var stream = new ReadBufferedStream(inner);

        var ready = await stream.ReadAsync(Memory<byte>.Empty, TestContext.Current.CancellationToken);
        var buffer = new byte[1000];
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal(0, ready);
        Assert.Equal(response, buffer[..read]);
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_ZeroByteReadAtTheEnd_ReturnsZeroThenEveryReadDoes()
    {
        var inner = new CountingStream([]);
        await using var stream = new ReadBufferedStream(inner);

        var ready = await stream.ReadAsync(Memory<byte>.Empty, TestContext.Current.CancellationToken);
        var read = await stream.ReadAsync(new byte[10], TestContext.Current.CancellationToken);
        var again = stream.Read(new byte[10]);

        Assert.Equal((0, 0, 0), (ready, read, again));
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_ReadLargerThanTheBuffer_GoesStraightToTheInnerStream()
    {
        var response = Bytes(3 * ReadBufferedStream.BufferSize);
        var inner = new CountingStream(response);
        await using var stream = new ReadBufferedStream(inner);

        var buffer = new byte[2 * ReadBufferedStream.BufferSize];
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal(buffer.Length, read);
        Assert.Equal(response[..read], buffer);
        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task ReadAsync_LargeReadWithBytesBuffered_ReturnsTheBufferedBytesFirst()
    {
        var response = Bytes(3 * ReadBufferedStream.BufferSize);
        await using var stream = new ReadBufferedStream(new CountingStream(response));
        var first = new byte[100];
        _ = await stream.ReadAsync(first, TestContext.Current.CancellationToken);

        var large = new byte[2 * ReadBufferedStream.BufferSize];
        var read = await stream.ReadAsync(large, TestContext.Current.CancellationToken);

        // What was buffered past the first read (the buffer's worth less 100 bytes), not bytes from beyond it.
        Assert.Equal(ReadBufferedStream.BufferSize - 100, read);
        Assert.Equal(response[100..ReadBufferedStream.BufferSize], large[..read]);
    }

    [Theory]
    [InlineData("http", 1, 1, true)]
    [InlineData("HTTP", 1, 0, true)]
    [InlineData("https", 1, 1, false)]
    [InlineData("http", 2, 0, false)]
    [InlineData(null, 1, 1, false)]
    public void Helps_OnlyPlainHttp1(string? scheme, int major, int minor, bool helps) =>
        Assert.Equal(helps, ReadBufferedStream.Helps(scheme, new Version(major, minor)));

    [Fact]
    public async Task DisposeAsync_ThenDispose_DisposesTheInnerStreamOnce()
    {
        var inner = new CountingStream([]);
        var stream = new ReadBufferedStream(inner);

        await stream.DisposeAsync();
        stream.Dispose();

        Assert.Equal(1, inner.Disposals);
    }

    [Fact]
    public void Read_Synchronous_SameBytesAsTheInnerStream()
    {
        var response = Bytes(150_000);
        using var stream = new ReadBufferedStream(new CountingStream(response));
        using var copy = new MemoryStream();
        var buffer = new byte[777];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        Assert.Equal(response, copy.ToArray());
    }

    [Fact]
    public async Task WriteAsync_PassesStraightThrough()
    {
        var inner = new CountingStream([]);
        await using var stream = new ReadBufferedStream(inner);

        await stream.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), inner.Written.ToArray());
    }

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int pieceSize)
    {
        using var all = new MemoryStream();
        var piece = new byte[pieceSize];
        int n;
        while ((n = await stream.ReadAsync(piece, TestContext.Current.CancellationToken)) > 0)
        {
            all.Write(piece, 0, n);
        }

        return all.ToArray();
    }

    /// <summary>A socket's view: each read returns whatever is left, up to the buffer given; counts the reads.</summary>
    private sealed class CountingStream(byte[] data) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public int Disposals { get; private set; }

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var count = Math.Min(buffer.Length, data.Length - _position);
            data.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Written.WriteAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Disposals++;
                Written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
