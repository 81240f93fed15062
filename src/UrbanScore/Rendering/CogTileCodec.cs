using System.IO.Compression;

namespace UrbanScore.Rendering;

/// <summary>
/// TIFF Deflate (Compression 8, RFC 1950 zlib stream) and predictor 2 for 256×256 tiles of 4-byte pixels, done with
/// System.IO.Compression because LibTiff.NET's managed zlib is 4–6× slower per core (docs/performance.md).
/// Stateless and thread-safe.
/// </summary>
internal static class CogTileCodec
{
    private const uint HighBits = 0x80808080u;
    private const uint LowBits = 0x7F7F7F7Fu;

    /// <summary>Compresses one tile into <paramref name="output"/>, replacing its content.</summary>
    public static void Compress(ReadOnlySpan<uint> tile, MemoryStream output)
    {
        output.SetLength(0);
        using var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true);
        zlib.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tile));
    }

    /// <summary>Decompresses one tile written by <see cref="Compress"/>; throws if the stream is short or corrupt.</summary>
    public static void Decompress(byte[] compressed, int length, Span<uint> tile)
    {
        using var input = new MemoryStream(compressed, 0, length, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        zlib.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tile));
    }

    /// <summary>
    /// TIFF 6.0 §14 predictor 2 for 8-bit samples, 4 per pixel: each byte becomes its difference (mod 256) from the same
    /// sample of the pixel to the left. Bytewise subtraction of whole pixels at once (Hacker's Delight §2-18).
    /// </summary>
    public static void EncodeHorizontalPredictor(Span<uint> tile)
    {
        for (var row = 0; row < CogPixelFormat.TilePixels; row += CogPixelFormat.TileSize)
        {
            var pixels = tile.Slice(row, CogPixelFormat.TileSize);
            for (var x = pixels.Length - 1; x > 0; x--)
            {
                var a = pixels[x];
                var b = pixels[x - 1];
                pixels[x] = ((a | HighBits) - (b & LowBits)) ^ ((a ^ ~b) & HighBits);
            }
        }
    }

    /// <summary>Undoes <see cref="EncodeHorizontalPredictor"/>.</summary>
    public static void DecodeHorizontalPredictor(Span<uint> tile)
    {
        for (var row = 0; row < CogPixelFormat.TilePixels; row += CogPixelFormat.TileSize)
        {
            var pixels = tile.Slice(row, CogPixelFormat.TileSize);
            for (var x = 1; x < pixels.Length; x++)
            {
                var a = pixels[x];
                var b = pixels[x - 1];
                pixels[x] = ((a & LowBits) + (b & LowBits)) ^ ((a ^ b) & HighBits);
            }
        }
    }
}
