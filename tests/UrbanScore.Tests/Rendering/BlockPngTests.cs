using SkiaSharp;
using UrbanScore.Rendering;

namespace UrbanScore.Tests.Rendering;

public sealed class BlockPngTests
{
    private static byte[] Cells(int count, int seed)
    {
        var random = new Random(seed);
        var cells = new byte[count * 4];
        random.NextBytes(cells);
        cells.AsSpan(0, 4).Clear(); // one fully transparent cell, as the pyramid writes where a cell has no score
        return cells;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(64, 64)]
    [InlineData(256, 256)]
    public void Encode_CellGrid_SkiaDecodesEveryPixelToItsCellColour(int cellsX, int cellsY)
    {
        const int size = 256;
        var cells = Cells(cellsX * cellsY, seed: (cellsX * 1000) + cellsY);

        var png = new BlockPng(size, size).Encode(cells, cellsX, cellsY);

        using var bitmap = SKBitmap.Decode(png, new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.NotNull(bitmap);
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var cell = (((y * cellsY / size) * cellsX) + (x * cellsX / size)) * 4;
                var pixel = ((y * size) + x) * 4;
                if (!pixels.Slice(pixel, 4).SequenceEqual(cells.AsSpan(cell, 4)))
                {
                    Assert.Fail($"pixel ({x}, {y}) is {Convert.ToHexString(pixels.Slice(pixel, 4))}, its cell is {Convert.ToHexString(cells.AsSpan(cell, 4))}");
                }
            }
        }
    }

    [Fact]
    public void Encode_SameCellsTwice_SameBytes()
    {
        var cells = Cells(16, seed: 7);
        var encoder = new BlockPng(256, 256);

        Assert.Equal(encoder.Encode(cells, 4, 4), new BlockPng(256, 256).Encode(cells, 4, 4));
    }

    [Fact]
    public void Crc_PngSpecificationCheckValue_Matches()
    {
        // The standard CRC-32 check value: CRC of the ASCII digits "123456789".
        Assert.Equal(0xCBF43926u, BlockPng.Crc("123456789"u8));
    }
}
