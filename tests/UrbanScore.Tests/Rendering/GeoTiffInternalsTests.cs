using UrbanScore.Rendering;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Rendering;

public sealed class GeoTiffInternalsTests
{
    [Fact]
    public void HorizontalPredictor_RandomTile_MatchesBytewiseDefinitionAndRoundTrips()
    {
        var random = new Random(42);
        var tile = new uint[CogPixelFormat.TilePixels];
        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] = (uint)random.Next() ^ ((uint)random.Next() << 16);
        }

        var original = (uint[])tile.Clone();

        CogTileCodec.EncodeHorizontalPredictor(tile);

        // TIFF 6.0 §14: every byte minus the same sample of the previous pixel, mod 256, per row.
        var expected = new byte[CogPixelFormat.TileBytes];
        var source = System.Runtime.InteropServices.MemoryMarshal.AsBytes(original.AsSpan());
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = (i % 1024) < 4 ? source[i] : (byte)(source[i] - source[i - 4]);
        }

        Assert.Equal(expected, System.Runtime.InteropServices.MemoryMarshal.AsBytes(tile.AsSpan()).ToArray());
        CogTileCodec.DecodeHorizontalPredictor(tile);
        Assert.Equal(original, tile);
    }

    [Fact]
    public void Compress_Tile_DecompressesToSamePixels()
    {
        var tile = new uint[CogPixelFormat.TilePixels];
        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] = (uint)(i / 16);
        }

        using var compressed = new MemoryStream();
        CogTileCodec.Compress(tile, compressed);
        var decoded = new uint[CogPixelFormat.TilePixels];
        CogTileCodec.Decompress(compressed.GetBuffer(), (int)compressed.Length, decoded);

        Assert.Equal(tile, decoded);
        Assert.True(compressed.Length < CogPixelFormat.TileBytes / 10);
    }

    [Fact]
    public void Plan_LargeRaster_HalvesUntilOneTile()
    {
        var levels = CogLevel.Plan(10_736, 10_320);

        Assert.Equal(new CogLevel(Width: 10_736, Height: 10_320), levels[0]);
        Assert.Equal(new CogLevel(Width: 5_368, Height: 5_160), levels[1]);
        Assert.Equal(new CogLevel(Width: 168, Height: 162), levels[^1]);
        Assert.Equal(7, levels.Count);
        Assert.Single(CogLevel.Plan(256, 200));
    }

    [Fact]
    public void IsBigTiff_FranceAt64PixelsPerTile_ChoosesBigTiffAndAt16Classic()
    {
        // Metropolitan France at z14 (docs/country-scale.md): 6.6 GiB raw at 64 px/tile, 0.41 GiB at 16.
        var range = new TileRange(Zoom: 14, MinCol: 7957, MinRow: 5478, MaxCol: 8627, MaxRow: 6122);
        var set = TileMatrixSet.WebMercatorQuad();

        var big = new CogWriter(new GeoTiffGrid(set, range, 64), new CogPixelFormat.Float32Scores(), null);
        var small = new CogWriter(new GeoTiffGrid(set, range, 16), new CogPixelFormat.Float32Scores(), null);

        Assert.True(big.IsBigTiff);
        Assert.False(small.IsBigTiff);
    }

    [Fact]
    public void Downsample_Float32_IgnoresNoDataAndPixelsOutsideImage()
    {
        var format = new CogPixelFormat.Float32Scores();
        var source = new uint[CogPixelFormat.TilePixels];
        source.AsSpan().Fill(format.NoDataPixel);
        source[0] = BitConverter.SingleToUInt32Bits(0.2f);
        source[1] = BitConverter.SingleToUInt32Bits(0.4f);
        source[256] = format.NoDataPixel;
        source[257] = BitConverter.SingleToUInt32Bits(0.9f);
        source[2] = BitConverter.SingleToUInt32Bits(0.5f);
        source[3] = BitConverter.SingleToUInt32Bits(123f); // column 3 is outside a 3-pixel-wide image
        var destination = new uint[CogPixelFormat.TilePixels];

        format.Downsample(source, validWidth: 3, validHeight: 2, destination, destX: 0, destY: 0);

        Assert.Equal(0.5f, BitConverter.UInt32BitsToSingle(destination[0]), 6);
        Assert.Equal(0.5f, BitConverter.UInt32BitsToSingle(destination[1]), 6);
        Assert.Equal(0u, destination[2]);
    }

    [Fact]
    public void Downsample_Rgba_WeightsColourByAlpha()
    {
        var format = new CogPixelFormat.Rgba8Heatmap(GeoTiffWriter.RedAlphaPalette);
        var source = new uint[CogPixelFormat.TilePixels];
        source[0] = 0xFF0000FFu; // opaque red
        source[1] = 0u; // transparent (no data)
        source[256] = 0u;
        source[257] = 0u;
        var destination = new uint[CogPixelFormat.TilePixels];

        format.Downsample(source, validWidth: 2, validHeight: 2, destination, destX: 0, destY: 0);

        // Colour stays pure red, alpha is the mean: round(255 / 4) = 64.
        Assert.Equal(0x400000FFu, destination[0]);
    }

    [Fact]
    public void GeoKeys_Epsg4326_IsGeographicModel()
    {
        var keys = CogWriter.GeoKeys(4326);

        Assert.Equal(new short[] { 1, 1, 1, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326 }, keys);
        Assert.Equal(new short[] { 1, 1, 1, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 3857 }, CogWriter.GeoKeys(3857));
    }

    [Fact]
    public void RedAlphaPalette_Scores_MapToRedWithRoundedAlpha()
    {
        var rgba = new byte[4];

        GeoTiffWriter.RedAlphaPalette(0.5f, rgba);
        Assert.Equal(new byte[] { 255, 0, 0, 128 }, rgba);
        GeoTiffWriter.RedAlphaPalette(0f, rgba);
        Assert.Equal(new byte[] { 255, 0, 0, 0 }, rgba);
        GeoTiffWriter.RedAlphaPalette(1.5f, rgba);
        Assert.Equal(new byte[] { 255, 0, 0, 255 }, rgba);
    }

    [Fact]
    public void GdalMetadataXml_ItemsWithMarkup_AreEscapedAndSorted()
    {
        var xml = GeoTiffWriter.GdalMetadataXml(new Dictionary<string, string> { ["zoom"] = "15", ["labels"] = "city<&>not_city" }, "score");

        Assert.Equal(
            "<GDALMetadata><Item name=\"labels\">city&lt;&amp;&gt;not_city</Item><Item name=\"zoom\">15</Item>"
            + "<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">score</Item></GDALMetadata>",
            xml);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(48)]
    [InlineData(256)]
    public void CogRowWindow_AnyPixelsPerTile_RendersEveryPixelFromItsTileAndReadsRowsOnce(int pixelsPerTile)
    {
        var range = new TileRange(Zoom: 12, MinCol: 40, MinRow: 60, MaxCol: 40 + 300, MaxRow: 60 + 190);
        var grid = new GeoTiffGrid(TileMatrixSet.WebMercatorQuad(), range, pixelsPerTile);
        var format = new CogPixelFormat.Float32Scores();
        var reads = new List<int>();
        var window = new CogRowWindow(grid, format, (row, scores) =>
        {
            reads.Add(row);
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = ((row * 1000) + i) % 7 == 0 ? float.NaN : (row * 1000) + i;
            }
        });
        var level = new CogLevel(Width: grid.Width, Height: grid.Height);
        var tile = new uint[CogPixelFormat.TilePixels];
        var mismatches = 0;

        // Only the first and last TIFF columns are checked for the wide cases, to keep the test fast.
        for (var tiffRow = 0; tiffRow < level.TilesDown; tiffRow++)
        {
            window.Advance(tiffRow);
            foreach (var tiffCol in new[] { 0, level.TilesAcross - 1 }.Distinct())
            {
                window.FillTile(tiffRow, tiffCol, tile);
                for (var py = 0; py < CogPixelFormat.TileSize; py++)
                {
                    for (var px = 0; px < CogPixelFormat.TileSize; px++)
                    {
                        var x = (tiffCol * CogPixelFormat.TileSize) + px;
                        var y = (tiffRow * CogPixelFormat.TileSize) + py;
                        var inside = x < grid.Width && y < grid.Height;
                        var raw = ((range.MinRow + (y / pixelsPerTile)) * 1000) + (x / pixelsPerTile);
                        var expected = !inside || raw % 7 == 0 ? format.NoDataPixel : BitConverter.SingleToUInt32Bits(raw);
                        if (tile[(py * CogPixelFormat.TileSize) + px] != expected)
                        {
                            mismatches++;
                        }
                    }
                }
            }
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(Enumerable.Range(range.MinRow, range.Height), reads);
    }
}
