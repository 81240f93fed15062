using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;
using UrbanScore.Storage;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes the heatmap levels below the scored one, <c>heatmap/{z}/{x}/{y}.png</c>, like gdal2tiles overviews: each
/// pixel of a lower level is the mean score of the scored tiles it covers (empty, failed and unscored tiles are left
/// out of the mean; a pixel covering none is transparent; a tile covering none gets no file).
/// </summary>
/// <remarks>
/// Streams: every level reads the scored level from the store one tile row at a time and keeps one row of parent tiles
/// as (sum, count) cells — min(2^k, tile size)² cells per parent tile k levels up, so at most
/// extent-width × tile-size cells, whatever the area's height. Levels are written only while the matrix set is nested
/// 2× (resolution halves, same origin and tile size, as in GoogleMapsCompatible); the first level that is not stops
/// the pyramid.
/// </remarks>
internal static class HeatmapPyramid
{
    /// <summary>The lowest level that can be reached from <paramref name="zoom"/> through 2×-nested levels, at least <paramref name="minZoom"/>.</summary>
    public static int ReachableMinZoom(TileMatrixSet set, int zoom, int minZoom)
    {
        var level = zoom;
        while (level > minZoom && IsNested(set[level - 1], set[level]))
        {
            level--;
        }

        return level;
    }

    /// <summary>Whether <paramref name="coarse"/> is exactly <paramref name="fine"/> at half the resolution (2×2 fine tiles per coarse tile).</summary>
    public static bool IsNested(TileMatrix coarse, TileMatrix fine) =>
        Math.Abs((coarse.Resolution / fine.Resolution) - 2.0) < 1e-9
        && coarse.TileWidth == fine.TileWidth
        && coarse.TileHeight == fine.TileHeight
        && Math.Abs(coarse.TopLeftX - fine.TopLeftX) < fine.Resolution * 1e-3
        && Math.Abs(coarse.TopLeftY - fine.TopLeftY) < fine.Resolution * 1e-3;

    /// <summary>Rewrites the scored level's PNGs from the store (what <see cref="HeatmapTileWriter"/> wrote during the run, byte for byte).</summary>
    public static long WriteScoredLevel(ScoreStore store, TileRange extent, TileMatrix matrix, HeatmapPalette palette, string outputFolder, CancellationToken cancellationToken) =>
        WriteScoredLevel(StoreRows(store, extent), extent, matrix, palette, Path.Combine(outputFolder, HeatmapTileWriter.FolderName), cancellationToken);

    /// <summary>
    /// Writes the level <c>extent.Zoom</c> into <paramref name="tileFolder"/>/{z}/{x}/{y}.png from any row source (a
    /// run's scores, or the compare products' encoded change).
    /// </summary>
    public static long WriteScoredLevel(GeoTiffRowReader readRow, TileRange extent, TileMatrix matrix, HeatmapPalette palette, string tileFolder, CancellationToken cancellationToken)
    {
        var writer = new HeatmapTileWriter(tileFolder, matrix.TileWidth, matrix.TileHeight, palette);
        var scores = new float[extent.Width];
        long written = 0;
        for (var row = extent.MinRow; row <= extent.MaxRow; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores.AsSpan().Fill(float.NaN);
            readRow(row, scores);
            for (var i = 0; i < scores.Length; i++)
            {
                if (!float.IsNaN(scores[i]))
                {
                    var tile = new TileIndex(Zoom: extent.Zoom, Col: extent.MinCol + i, Row: row);
                    WriteFile(TilePathIn(tileFolder, tile), writer.PngOf(HeatmapPalette.Level(scores[i])));
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>Writes one level <paramref name="level"/> &lt; <c>extent.Zoom</c>; returns the number of tiles written.</summary>
    public static long WriteLevel(ScoreStore store, TileRange extent, TileMatrix matrix, int level, HeatmapPalette palette, string outputFolder, CancellationToken cancellationToken) =>
        WriteLevel(StoreRows(store, extent), extent, matrix, level, palette, Path.Combine(outputFolder, HeatmapTileWriter.FolderName), cancellationToken);

    /// <summary>Writes one level below <c>extent.Zoom</c> into <paramref name="tileFolder"/> from any row source; returns the tiles written.</summary>
    public static long WriteLevel(GeoTiffRowReader readRow, TileRange extent, TileMatrix matrix, int level, HeatmapPalette palette, string tileFolder, CancellationToken cancellationToken)
    {
        var k = extent.Zoom - level;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var factor = 1L << k;
        int width = matrix.TileWidth, height = matrix.TileHeight;
        var cellsX = (int)Math.Min(factor, width);
        var cellsY = (int)Math.Min(factor, height);
        var minParentCol = extent.MinCol >> k;
        var parents = (extent.MaxCol >> k) - minParentCol + 1;
        var cellsPerTile = cellsX * cellsY;
        var sums = new double[parents * cellsPerTile];
        var counts = new int[parents * cellsPerTile];
        var scores = new float[extent.Width];
        var colours = new byte[257 * 4];
        for (var l = -1; l <= 255; l++)
        {
            palette.MapLevel(l, colours.AsSpan((l + 1) * 4, 4));
        }

        var pending = new List<int>(parents);
        var pngs = new byte[parents][];
        long written = 0;
        for (var parentRow = extent.MinRow >> k; parentRow <= extent.MaxRow >> k; parentRow++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(sums);
            Array.Clear(counts);
            var firstRow = Math.Max(parentRow * factor, extent.MinRow);
            var lastRow = Math.Min(((parentRow + 1) * factor) - 1, extent.MaxRow);
            for (var row = firstRow; row <= lastRow; row++)
            {
                scores.AsSpan().Fill(float.NaN);
                readRow((int)row, scores);
                var cellY = (int)((row - (parentRow * factor)) * cellsY / factor);
                for (var i = 0; i < scores.Length; i++)
                {
                    if (float.IsNaN(scores[i]))
                    {
                        continue;
                    }

                    long col = extent.MinCol + i;
                    var parent = col >> k;
                    var cellX = (int)((col - (parent * factor)) * cellsX / factor);
                    var index = ((int)(parent - minParentCol) * cellsPerTile) + (cellY * cellsX) + cellX;
                    sums[index] += scores[i];
                    counts[index]++;
                }
            }

            pending.Clear();
            for (var p = 0; p < parents; p++)
            {
                if (counts.AsSpan(p * cellsPerTile, cellsPerTile).ContainsAnyExcept(0))
                {
                    pending.Add(p);
                }
            }

            // Painting and PNG encoding are the CPU cost: done in parallel per row of parent tiles; files are then
            // written in order on this thread, so the result does not depend on scheduling.
            Parallel.For(
                0,
                pending.Count,
                new ParallelOptions { CancellationToken = cancellationToken },
                () => new byte[width * height * 4],
                (i, _, rgba) =>
                {
                    var p = pending[i];
                    var cells = new Range(p * cellsPerTile, (p + 1) * cellsPerTile);
                    Paint(sums.AsSpan(cells), counts.AsSpan(cells), cellsX, cellsY, width, height, colours, rgba);
                    pngs[p] = EncodePyramidPng(rgba, width, height);
                    return rgba;
                },
                _ => { });
            foreach (var p in pending)
            {
                var tile = new TileIndex(Zoom: level, Col: minParentCol + p, Row: (int)parentRow);
                WriteFile(TilePathIn(tileFolder, tile), pngs[p]);
                pngs[p] = null!;
                written++;
            }
        }

        return written;
    }

    /// <summary>The quantised level of a cell: round(255 · mean) of its tiles, −1 when it has none.</summary>
    internal static int CellLevel(double sum, int count) => count == 0 ? -1 : HeatmapPalette.Level((float)(sum / count));

    private static void Paint(ReadOnlySpan<double> sums, ReadOnlySpan<int> counts, int cellsX, int cellsY, int width, int height, byte[] colours, byte[] rgba)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(rgba.AsSpan());
        var palette = MemoryMarshal.Cast<byte, uint>(colours.AsSpan());
        Span<uint> rowColours = stackalloc uint[cellsX];
        for (var y = 0; y < height; y++)
        {
            var cellY = (int)((long)y * cellsY / height);
            if (y == 0 || cellY != (int)((long)(y - 1) * cellsY / height))
            {
                for (var cx = 0; cx < cellsX; cx++)
                {
                    var c = (cellY * cellsX) + cx;
                    rowColours[cx] = palette[CellLevel(sums[c], counts[c]) + 1];
                }
            }

            var line = pixels.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                line[x] = rowColours[(int)((long)x * cellsX / width)];
            }
        }
    }

    /// <summary>
    /// PNG of a pyramid tile: zlib level 6 with the Sub and Up filters only (blocks of flat colour; trying every
    /// filter per line costs more than it saves). Deterministic for the same pixels.
    /// </summary>
    internal static unsafe byte[] EncodePyramidPng(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        fixed (byte* pixels = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pixels, width * 4);
            using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub | SKPngEncoderFilterFlags.Up, 6))
                ?? throw new InvalidOperationException("SkiaSharp could not encode a heatmap tile as PNG.");
            return data.ToArray();
        }
    }

    /// <summary>PNG of an unassociated RGBA buffer, encoded the way <see cref="HeatmapTileWriter"/> encodes.</summary>
    internal static byte[] EncodePng(byte[] rgba, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), width * height * 4);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    internal static string TilePath(string outputFolder, TileIndex tile) => TilePathIn(Path.Combine(outputFolder, HeatmapTileWriter.FolderName), tile);

    private static GeoTiffRowReader StoreRows(ScoreStore store, TileRange extent) =>
        (row, scores) => store.ReadScoreRow(extent.Zoom, row, extent.MinCol, scores);

    private static string TilePathIn(string tileFolder, TileIndex tile) => Path.Combine(
        tileFolder,
        tile.Zoom.ToString(CultureInfo.InvariantCulture),
        tile.Col.ToString(CultureInfo.InvariantCulture),
        tile.Row.ToString(CultureInfo.InvariantCulture) + ".png");

    private static void WriteFile(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
    }
}
