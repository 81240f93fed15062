namespace UrbanScore.Tools.DemoWorld;

/// <summary>
/// Turns a binary raster into the exact outlines of its set pixels: every pixel edge between a set and an unset pixel
/// (or the raster's border) becomes a directed edge with the set pixel on its right (screen coordinates, y down), the
/// edges are chained into rings, turning right where two set pixels meet only at a corner (set pixels 4-connected),
/// rings that pass a vertex twice are split there, and only corners are kept. Shells come out clockwise on screen
/// (counter-clockwise with y up, as GeoJSON wants) and holes the other way. Rows are fed north to south.
/// Not thread-safe; memory is one byte per pixel corner.
/// </summary>
internal sealed class PixelOutlineTracer
{
    private const byte East = 1, South = 2, West = 4, North = 8;

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _out;
    private bool[] _previous;
    private int _row;

    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    public PixelOutlineTracer(int width, int height)
    {
        _width = width;
        _height = height;
        _out = new byte[(long)(width + 1) * (height + 1) > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(width), "The raster is too large to trace.") : (width + 1) * (height + 1)];
        _previous = new bool[width];
    }

    /// <summary>Adds the next row (north to south) of <c>width</c> pixels.</summary>
    public void AddRow(ReadOnlySpan<bool> row)
    {
        var y = _row++;
        for (var x = 0; x < _width; x++)
        {
            // The edge between this pixel and the one above (line y), then the one to its left (column line x).
            if (row[x] != _previous[x])
            {
                if (row[x])
                {
                    Add(x, y, East);
                }
                else
                {
                    Add(x + 1, y, West);
                }
            }

            var left = x > 0 && row[x - 1];
            if (row[x] != left)
            {
                if (row[x])
                {
                    Add(x, y + 1, North);
                }
                else
                {
                    Add(x, y, South);
                }
            }
        }

        if (row[_width - 1])
        {
            Add(_width, y, South);
        }

        row.CopyTo(_previous);
    }

    /// <summary>Closes the raster (the rows not fed are unset) and returns the rings as corner lists in pixel-corner coordinates.</summary>
    public List<(int X, int Y)[]> Rings()
    {
        while (_row < _height)
        {
            AddRow(new bool[_width]);
        }

        // The bottom edge of the last row.
        for (var x = 0; x < _width; x++)
        {
            if (_previous[x])
            {
                Add(x + 1, _height, West);
            }
        }

        _previous = new bool[_width];
        var rings = new List<(int X, int Y)[]>();
        var path = new List<(int X, int Y)>();
        var seen = new Dictionary<(int X, int Y), int>();
        for (var start = 0; start < _out.Length; start++)
        {
            while (_out[start] != 0)
            {
                path.Clear();
                seen.Clear();
                var (x, y) = (start % (_width + 1), start / (_width + 1));
                var direction = (byte)(_out[start] & -_out[start]);
                while (true)
                {
                    var at = (x, y);
                    if (seen.TryGetValue(at, out var first))
                    {
                        // Back at a vertex of this path: the loop since then is a ring of its own.
                        rings.Add(Corners(path, first));
                        foreach (var p in path.Skip(first))
                        {
                            seen.Remove(p);
                        }

                        path.RemoveRange(first, path.Count - first);
                    }

                    var index = (y * (_width + 1)) + x;
                    var options = _out[index];
                    if (options == 0)
                    {
                        break;
                    }

                    if ((options & (options - 1)) != 0)
                    {
                        // Two ways out (set pixels meet at this corner): turn right, around the pixel on our right.
                        var right = (byte)(direction == North ? East : direction << 1);
                        direction = (options & right) != 0 ? right : (byte)(options & -options);
                    }
                    else
                    {
                        direction = options;
                    }

                    seen[at] = path.Count;
                    path.Add(at);
                    _out[index] &= (byte)~direction;
                    (x, y) = direction switch
                    {
                        East => (x + 1, y),
                        South => (x, y + 1),
                        West => (x - 1, y),
                        _ => (x, y - 1),
                    };
                }
            }
        }

        return rings;
    }

    private void Add(int x, int y, byte direction) => _out[(y * (_width + 1)) + x] |= direction;

    /// <summary>The corners of path[first..] as a closed ring (first corner repeated at the end).</summary>
    private static (int X, int Y)[] Corners(List<(int X, int Y)> path, int first)
    {
        var n = path.Count - first;
        var corners = new List<(int X, int Y)>(n / 2);
        for (var i = 0; i < n; i++)
        {
            var previous = path[first + ((i + n - 1) % n)];
            var current = path[first + i];
            var next = path[first + ((i + 1) % n)];
            var straight = (previous.X == current.X && current.X == next.X) || (previous.Y == current.Y && current.Y == next.Y);
            if (!straight)
            {
                corners.Add(current);
            }
        }

        corners.Add(corners[0]);
        return [.. corners];
    }
}
