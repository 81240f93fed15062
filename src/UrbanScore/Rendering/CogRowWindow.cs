using System.Globalization;

namespace UrbanScore.Rendering;

/// <summary>
/// The rows of map tiles that one row of 256-pixel TIFF tiles spans (⌈256/N⌉ + 1 rows at most), read from the caller
/// strictly in order, each exactly once, and converted to pixels. This is what keeps the writer's memory independent
/// of the number of rows: one pixel per map tile, never the N×N block.
/// </summary>
/// <remarks>
/// <see cref="Advance"/> runs on the writing thread; <see cref="FillTile"/> only reads and may run on many threads
/// between two calls of <see cref="Advance"/>.
/// </remarks>
internal sealed class CogRowWindow
{
    private readonly GeoTiffGrid _grid;
    private readonly CogPixelFormat _format;
    private readonly GeoTiffRowReader _readRow;
    private readonly int _columns;
    private readonly uint[] _pixels;
    private readonly float[] _scores;
    private int _firstRow;
    private int _rowCount;

    /// <summary>Creates an empty window over the grid's rows.</summary>
    public CogRowWindow(GeoTiffGrid grid, CogPixelFormat format, GeoTiffRowReader readRow)
    {
        _grid = grid;
        _format = format;
        _readRow = readRow;
        _columns = grid.Range.Width;
        var capacity = Math.Min(grid.Range.Height, ((CogPixelFormat.TileSize + grid.PixelsPerTile - 1) / grid.PixelsPerTile) + 1);
        _pixels = new uint[(long)capacity * _columns];
        _scores = new float[_columns];
    }

    /// <summary>Makes the window hold exactly the map-tile rows TIFF tile row <paramref name="tiffRow"/> needs, reading new ones.</summary>
    public void Advance(int tiffRow)
    {
        var n = _grid.PixelsPerTile;
        var firstNeeded = (int)((long)tiffRow * CogPixelFormat.TileSize / n);
        var lastNeeded = (int)Math.Min(((((long)tiffRow + 1) * CogPixelFormat.TileSize) - 1) / n, _grid.Range.Height - 1);

        // Keep the rows still needed (at most the one straddling two TIFF tile rows), moved to the front.
        var drop = Math.Min(firstNeeded - _firstRow, _rowCount);
        if (drop > 0)
        {
            _pixels.AsSpan(drop * _columns, (_rowCount - drop) * _columns).CopyTo(_pixels);
            _rowCount -= drop;
            _firstRow += drop;
        }

        // Rows are read contiguously: TIFF row t starts at most one map row after TIFF row t-1 ended.
        if (_rowCount == 0)
        {
            _firstRow = firstNeeded;
        }

        while (_firstRow + _rowCount <= lastNeeded)
        {
            var row = _firstRow + _rowCount;
            _scores.AsSpan().Fill(float.NaN);
            _readRow(_grid.Range.MinRow + row, _scores);
            var pixels = _pixels.AsSpan(_rowCount * _columns, _columns);
            for (var col = 0; col < _columns; col++)
            {
                pixels[col] = _format.ToPixel(_scores[col]);
            }

            _rowCount++;
        }

        if (_firstRow != firstNeeded)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tile row window out of step: holds rows from {_firstRow}, TIFF row {tiffRow} needs {firstNeeded}."));
        }
    }

    /// <summary>Renders TIFF tile (<paramref name="tiffRow"/>, <paramref name="tiffCol"/>) of full resolution, padded with nodata.</summary>
    public void FillTile(int tiffRow, int tiffCol, Span<uint> tile)
    {
        const int size = CogPixelFormat.TileSize;
        var n = _grid.PixelsPerTile;
        var x0 = tiffCol * size;
        var y0 = (long)tiffRow * size;
        var validWidth = Math.Min(size, _grid.Width - x0);
        var validHeight = (int)Math.Min(size, _grid.Height - y0);
        var padding = _format.NoDataPixel;
        var previousRow = -1;
        for (var py = 0; py < validHeight; py++)
        {
            var destination = tile.Slice(py * size, size);
            var mapRow = (int)((y0 + py) / n);
            if (mapRow == previousRow)
            {
                tile.Slice((py - 1) * size, size).CopyTo(destination);
                continue;
            }

            previousRow = mapRow;
            var source = _pixels.AsSpan((mapRow - _firstRow) * _columns, _columns);
            var x = 0;
            while (x < validWidth)
            {
                var mapCol = (x0 + x) / n;
                var runEnd = Math.Min(validWidth, ((mapCol + 1) * n) - x0);
                destination[x..runEnd].Fill(source[mapCol]);
                x = runEnd;
            }

            destination[validWidth..].Fill(padding);
        }

        tile[(validHeight * size)..].Fill(padding);
    }
}
