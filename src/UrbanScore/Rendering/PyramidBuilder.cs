using System.Collections.Concurrent;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Builds every heatmap level below the scored one (<see cref="HeatmapPyramid"/>) in one pass over the scored level's
/// rows, north to south: each row is added to every level at once, and a level's row of parent tiles is encoded and
/// written as soon as its last child row has been added.
/// </summary>
/// <remarks>
/// Memory: per level one row of parent tiles as (sum, count) cells — min(2^k, tile size)² cells per parent tile k
/// levels up — so at most levels × extent-width × tile-size cells, whatever the area's height. Encoding runs in
/// parallel per row of parent tiles; files are handed to the <see cref="TileFileQueue"/> in column order and written by
/// its thread in that order, so the result does not depend on scheduling. Tiles whose cells repeat (a uniform rural or
/// urban block) reuse the PNG already encoded and become hard links to its first file (<see cref="TileFileLinker"/>).
/// </remarks>
internal sealed class PyramidBuilder
{
    /// <summary>Cells per tile up to which a tile's content is remembered (levels 1–3 up: nearly every pyramid tile).</summary>
    private const int MaxKeyedCells = 64;

    /// <summary>Encoded PNGs remembered per level; past this the memory is cleared.</summary>
    private const int MaxRemembered = 4096;

    private readonly TileRange _extent;
    private readonly string _outputFolder;
    private readonly TileFileQueue _files;
    private readonly Action<TileIndex, byte[]>? _onTile;
    private readonly Level[] _levels;
    private readonly byte[] _colours = new byte[257 * 4];
    private readonly int _width;
    private readonly int _height;
    private readonly int _maxCells;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private int _nextRow;

    /// <summary>Plans levels <c>extent.Zoom − 1</c> down to <paramref name="minZoom"/>.</summary>
    /// <param name="extent">The scored level's tiles.</param>
    /// <param name="set">The tile matrix set (nested 2× from <paramref name="minZoom"/> to the scored level).</param>
    /// <param name="minZoom">Lowest level written.</param>
    /// <param name="palette">Colours.</param>
    /// <param name="outputFolder">The run's folder (tiles go to heatmap/{z}/{x}/{y}.png).</param>
    /// <param name="files">Writes the tile files, in the order given (borrowed; complete it after the last row).</param>
    /// <param name="onTile">Called on the calling thread for every tile written, in write order, or null.</param>
    public PyramidBuilder(TileRange extent, TileMatrixSet set, int minZoom, HeatmapPalette palette, string outputFolder, TileFileQueue files, Action<TileIndex, byte[]>? onTile)
    {
        _extent = extent;
        _outputFolder = outputFolder;
        _files = files;
        _onTile = onTile;
        _nextRow = extent.MinRow;
        var matrix = set[extent.Zoom];
        _width = matrix.TileWidth;
        _height = matrix.TileHeight;
        _levels = new Level[Math.Max(0, extent.Zoom - minZoom)];
        for (var i = 0; i < _levels.Length; i++)
        {
            _levels[i] = new Level(extent, extent.Zoom - 1 - i, _width, _height);
            _maxCells = Math.Max(_maxCells, _levels[i].CellsPerTile);
        }

        for (var l = -1; l <= 255; l++)
        {
            palette.MapLevel(l, _colours.AsSpan((l + 1) * 4, 4));
        }
    }

    /// <summary>Adds scored-level row <paramref name="row"/>; rows must come in order, each once, all of the extent's.</summary>
    /// <param name="row">The matrix row.</param>
    /// <param name="scores">One score per extent column, NaN where there is none.</param>
    /// <param name="cancellationToken">Stops the encoding of a row of parent tiles.</param>
    public void AddRow(int row, ReadOnlySpan<float> scores, CancellationToken cancellationToken)
    {
        if (row != _nextRow)
        {
            throw new InvalidOperationException($"Pyramid rows out of order: expected {_nextRow}, got {row}.");
        }

        _nextRow++;
        foreach (var level in _levels)
        {
            level.Add(_extent, row, scores);
            var parentRow = (long)row >> level.K;
            if (row == Math.Min(((parentRow + 1) * level.Factor) - 1, _extent.MaxRow))
            {
                Flush(level, (int)parentRow, cancellationToken);
            }
        }
    }

    private void Flush(Level level, int parentRow, CancellationToken cancellationToken)
    {
        var pending = new List<int>();
        var keys = new List<string?>();
        var pngs = new List<byte[]?>();
        var misses = new List<int>();
        for (var p = 0; p < level.Parents; p++)
        {
            if (!level.Counts.AsSpan(p * level.CellsPerTile, level.CellsPerTile).ContainsAnyExcept(0))
            {
                continue;
            }

            var key = level.CellsPerTile <= MaxKeyedCells ? level.Key(p) : null;
            byte[]? png = null;
            if (key is not null)
            {
                level.Remembered.TryGetValue(key, out png);
            }

            if (png is null)
            {
                misses.Add(pending.Count);
            }

            pending.Add(p);
            keys.Add(key);
            pngs.Add(png);
        }

        var encoded = pngs.ToArray();
        Parallel.For(
            0,
            misses.Count,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => _workspaces.TryTake(out var workspace) ? workspace : new Workspace(_width, _height, _maxCells),
            (i, _, workspace) =>
            {
                var slot = misses[i];
                var p = pending[slot];
                var cells = workspace.Cells.AsSpan(0, level.CellsPerTile * 4);
                for (var c = 0; c < level.CellsPerTile; c++)
                {
                    var index = (p * level.CellsPerTile) + c;
                    var colour = HeatmapPyramid.CellLevel(level.Sums[index], level.Counts[index]) + 1;
                    _colours.AsSpan(colour * 4, 4).CopyTo(cells.Slice(c * 4, 4));
                }

                encoded[slot] = workspace.Encoder.Encode(cells, level.CellsX, level.CellsY);
                return workspace;
            },
            _workspaces.Add);

        for (var slot = 0; slot < pending.Count; slot++)
        {
            var tile = new TileIndex(Zoom: level.Zoom, Col: level.MinParentCol + pending[slot], Row: parentRow);
            var png = encoded[slot]!;
            _files.Add(HeatmapPyramid.TilePath(_outputFolder, tile), keys[slot], png);
            _onTile?.Invoke(tile, png);
            if (keys[slot] is { } key)
            {
                if (level.Remembered.Count >= MaxRemembered)
                {
                    level.Remembered.Clear();
                }

                level.Remembered[key] = png;
            }
        }

        Array.Clear(level.Sums);
        Array.Clear(level.Counts);
    }

    /// <summary>One level's row of parent tiles being summed.</summary>
    private sealed class Level
    {
        public Level(TileRange extent, int zoom, int width, int height)
        {
            Zoom = zoom;
            K = extent.Zoom - zoom;
            Factor = 1L << K;
            CellsX = (int)Math.Min(Factor, width);
            CellsY = (int)Math.Min(Factor, height);
            CellsPerTile = CellsX * CellsY;
            MinParentCol = extent.MinCol >> K;
            Parents = (extent.MaxCol >> K) - MinParentCol + 1;
            Sums = new double[Parents * CellsPerTile];
            Counts = new int[Parents * CellsPerTile];
        }

        public int Zoom { get; }

        public int K { get; }

        public long Factor { get; }

        public int CellsX { get; }

        public int CellsY { get; }

        public int CellsPerTile { get; }

        public int MinParentCol { get; }

        public int Parents { get; }

        public double[] Sums { get; }

        public int[] Counts { get; }

        public Dictionary<string, byte[]> Remembered { get; } = new(StringComparer.Ordinal);

        public void Add(TileRange extent, int row, ReadOnlySpan<float> scores)
        {
            var parentRow = (long)row >> K;
            var cellY = (int)((row - (parentRow * Factor)) * CellsY / Factor);
            for (var i = 0; i < scores.Length; i++)
            {
                if (float.IsNaN(scores[i]))
                {
                    continue;
                }

                long col = extent.MinCol + i;
                var parent = col >> K;
                var cellX = (int)((col - (parent * Factor)) * CellsX / Factor);
                var index = ((int)(parent - MinParentCol) * CellsPerTile) + (cellY * CellsX) + cellX;
                Sums[index] += scores[i];
                Counts[index]++;
            }
        }

        /// <summary>The parent tile's content as text: one char per cell, its quantised level + 1 (0 = no data).</summary>
        public string Key(int parent) => string.Create(CellsPerTile, (this, parent), static (chars, state) =>
        {
            var (level, p) = state;
            for (var c = 0; c < chars.Length; c++)
            {
                var index = (p * level.CellsPerTile) + c;
                chars[c] = (char)(HeatmapPyramid.CellLevel(level.Sums[index], level.Counts[index]) + 1);
            }
        });
    }

    /// <summary>Buffers of one encoding thread.</summary>
    private sealed class Workspace(int width, int height, int maxCells)
    {
        public BlockPng Encoder { get; } = new(width, height);

        public byte[] Cells { get; } = new byte[maxCells * 4];
    }
}
