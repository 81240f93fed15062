using System.Buffers.Binary;
using System.IO.Compression;

namespace UrbanScore.Rendering;

/// <summary>
/// Encodes a heatmap pyramid tile — a grid of flat-colour blocks, RGBA 8-bit — as a PNG (PNG specification, ISO/IEC
/// 15948) without painting it first. Each scanline is filtered so that it is almost all zeros: "Up" when it repeats the
/// line above (every line of a block row after its first), "Sub" otherwise (only block edges differ from their left
/// neighbour). Those zeros are then deflated with zlib's run-length strategy, which is what such data needs and many
/// times faster than a general-purpose level on a 256 KiB image. The same cells always give the same bytes.
/// </summary>
/// <remarks>One encoder per thread: it reuses its scanline buffer. Not thread-safe.</remarks>
internal sealed class BlockPng
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] s_crcTable = CrcTable();

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _raw;

    /// <summary>Creates an encoder for images of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public BlockPng(int width, int height)
    {
        _width = width;
        _height = height;
        _raw = new byte[height * (1 + (width * 4))];
    }

    /// <summary>
    /// The PNG of <paramref name="cellsX"/> × <paramref name="cellsY"/> blocks: pixel (x, y) has the colour of cell
    /// (x·cellsX/width, y·cellsY/height), the same mapping the pyramid's cells use.
    /// </summary>
    /// <param name="cells">RGBA of each cell, 4 bytes per cell, row by row.</param>
    /// <param name="cellsX">Cells across.</param>
    /// <param name="cellsY">Cells down.</param>
    public byte[] Encode(ReadOnlySpan<byte> cells, int cellsX, int cellsY)
    {
        var stride = 1 + (_width * 4);
        var raw = _raw.AsSpan();
        raw.Clear();
        var previousCellY = -1;
        for (var y = 0; y < _height; y++)
        {
            var line = raw.Slice(y * stride, stride);
            var cellY = (int)((long)y * cellsY / _height);
            if (cellY == previousCellY)
            {
                line[0] = 2; // Up: identical to the line above, all zeros
                continue;
            }

            previousCellY = cellY;
            line[0] = 1; // Sub: each byte minus the same channel of the pixel to its left
            var rowCells = cells.Slice(cellY * cellsX * 4, cellsX * 4);
            var previousCellX = -1;
            for (var x = 0; x < _width; x++)
            {
                var cellX = (int)((long)x * cellsX / _width);
                if (cellX == previousCellX)
                {
                    continue;
                }

                var offset = 1 + (x * 4);
                for (var c = 0; c < 4; c++)
                {
                    var left = previousCellX < 0 ? 0 : rowCells[(previousCellX * 4) + c];
                    line[offset + c] = unchecked((byte)(rowCells[(cellX * 4) + c] - left));
                }

                previousCellX = cellX;
            }
        }

        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, new ZLibCompressionOptions { CompressionLevel = 6, CompressionStrategy = ZLibCompressionStrategy.RunLengthEncoding }, leaveOpen: true))
        {
            zlib.Write(_raw);
        }

        var idat = deflated.GetBuffer().AsSpan(0, (int)deflated.Length);
        const int chunkOverhead = 12; // length, type, CRC
        var png = new byte[s_signature.Length + (chunkOverhead + 13) + (chunkOverhead + idat.Length) + chunkOverhead];
        s_signature.CopyTo(png, 0);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, _width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], _height);
        header[8] = 8;  // bit depth
        header[9] = 6;  // colour type: RGBA
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        var at = s_signature.Length;
        at = WriteChunk(png, at, "IHDR"u8, header);
        at = WriteChunk(png, at, "IDAT"u8, idat);
        WriteChunk(png, at, "IEND"u8, []);
        return png;
    }

    private static int WriteChunk(byte[] png, int at, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(at), data.Length);
        type.CopyTo(png.AsSpan(at + 4));
        data.CopyTo(png.AsSpan(at + 8));
        var crc = Crc(png.AsSpan(at + 4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(at + 8 + data.Length), crc);
        return at + 12 + data.Length;
    }

    /// <summary>CRC-32 of the PNG specification (polynomial 0xEDB88320, as zlib's crc32).</summary>
    internal static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] CrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
