namespace UrbanScore.Tiling;

/// <summary>
/// The scanline at the heart of <see cref="PolygonCover"/>: for ascending rows, the column intervals of the tiles a
/// polygon covers, from the edges active in the row's band. Cost per row is O(active edges · log), never per tile.
/// Not thread-safe: one scanner per enumeration.
/// </summary>
internal sealed class CoverRowScanner
{
    private readonly CoverEdge[] _edges;
    private readonly CoverMode _mode;
    private readonly long _matrixWidth;
    private readonly List<int> _active = [];
    private readonly List<double> _crossings = [];
    private readonly List<ColumnInterval> _raw = [];
    private int _next;
    private long _lastRow = long.MinValue;

    /// <param name="edges">Edges sorted by <see cref="CoverEdge.VMin"/>.</param>
    /// <param name="mode">Intersect or centre rule.</param>
    /// <param name="matrixWidth">Columns of the matrix (intervals are clipped to it).</param>
    public CoverRowScanner(CoverEdge[] edges, CoverMode mode, long matrixWidth)
    {
        _edges = edges;
        _mode = mode;
        _matrixWidth = matrixWidth;
    }

    /// <summary>Fills <paramref name="output"/> with the sorted, disjoint, non-adjacent intervals of row <paramref name="row"/>.</summary>
    /// <remarks>Rows must be asked in ascending order.</remarks>
    public void Scan(long row, List<ColumnInterval> output)
    {
        if (row <= _lastRow)
        {
            throw new InvalidOperationException("rows must be scanned in ascending order");
        }

        _lastRow = row;
        output.Clear();
        _raw.Clear();
        _crossings.Clear();
        double top = row, bottom = row + 1, middle = row + 0.5;
        while (_next < _edges.Length && _edges[_next].VMin < bottom)
        {
            _active.Add(_next++);
        }

        _active.RemoveAll(i => _edges[i].VMax <= top);
        foreach (var index in _active)
        {
            var edge = _edges[index];
            if (_mode == CoverMode.Intersect)
            {
                // The part of the edge inside the open band (top, bottom) enters the open tiles it spans; those tiles
                // meet the polygon's interior, which lies on one side of every edge.
                double uA, uB;
                if (edge.V0 == edge.V1)
                {
                    (uA, uB) = (edge.U0, edge.U1);
                }
                else
                {
                    uA = edge.UAt(Math.Max(top, edge.VMin));
                    uB = edge.UAt(Math.Min(bottom, edge.VMax));
                }

                AddRaw(Math.Floor(Math.Min(uA, uB)), Math.Ceiling(Math.Max(uA, uB)) - 1);
            }

            // Half-open rule at vertices so every closed ring crosses the middle line an even number of times.
            if ((edge.V0 > middle) != (edge.V1 > middle))
            {
                _crossings.Add(edge.UAt(middle));
            }
        }

        // Even-odd between crossings of the row's middle line: inside runs (holes and multipolygons included).
        _crossings.Sort();
        for (var i = 0; i + 1 < _crossings.Count; i += 2)
        {
            double a = _crossings[i], b = _crossings[i + 1];
            if (_mode == CoverMode.Intersect)
            {
                if (b > a)
                {
                    AddRaw(Math.Floor(a), Math.Ceiling(b) - 1);
                }
            }
            else
            {
                // Tile centres col + 0.5 with a <= centre < b.
                AddRaw(Math.Ceiling(a - 0.5), Math.Ceiling(b - 0.5) - 1);
            }
        }

        _raw.Sort((x, y) => x.Start.CompareTo(y.Start));
        foreach (var interval in _raw)
        {
            if (output.Count > 0 && interval.Start <= output[^1].End + 1)
            {
                if (interval.End > output[^1].End)
                {
                    output[^1] = output[^1] with { End = interval.End };
                }
            }
            else
            {
                output.Add(interval);
            }
        }
    }

    private void AddRaw(double start, double end)
    {
        var first = (long)Math.Max(start, 0);
        var last = (long)Math.Min(end, _matrixWidth - 1);
        if (last >= first)
        {
            _raw.Add(new ColumnInterval(first, last));
        }
    }
}
