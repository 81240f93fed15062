using System.Globalization;
using NetTopologySuite.Densify;
using NetTopologySuite.Geometries;
using UrbanScore.Crs;

namespace UrbanScore.Tiling;

/// <summary>
/// The exact, streamed cover of a polygon at one level of a tile matrix set: every tile meeting the polygon (or, with
/// <see cref="CoverMode.Center"/>, every tile whose centre is inside). The polygon is projected once into the matrix
/// CRS (EPSG:3857 by formula, other CRSs with ProjNet after densifying edges), then each tile row is a scanline over
/// the edges crossing its band, giving column intervals: building, <see cref="Count"/> and <see cref="Extent"/> cost
/// O(rows × edges), never O(tiles), and <see cref="Enumerate"/> holds one block row of intervals at a time.
/// Tiles come in aligned blocks of <see cref="BlockSize"/> × <see cref="BlockSize"/> (block rows north to south, blocks
/// west to east, tiles row-major inside a block), so neighbours are fetched, cached and written together.
/// Immutable and thread-safe; every enumeration runs its own scanner.
/// </summary>
public sealed class PolygonCover : ITileCover
{
    /// <summary>log2 of the block side.</summary>
    internal const int BlockShift = 4;

    /// <summary>Block side in tiles (16: 256 tiles, a z+4 parent tile's children).</summary>
    internal const int BlockSize = 1 << BlockShift;

    /// <summary>
    /// Longest polygon edge kept straight, in degrees: longer edges are split so that an edge straight in
    /// longitude/latitude (as GeoJSON defines it) stays within metres of its image in the matrix CRS.
    /// </summary>
    internal const double DensifyDegrees = 0.02;

    /// <summary>Vertices within this many tiles of a tile line snap onto it (projection round-off).</summary>
    private const double SnapTiles = 1e-9;

    private readonly CoverEdge[] _edges;
    private readonly long _matrixWidth;
    private readonly long _firstRow;
    private readonly long _lastRow;

    /// <summary>Projects the polygon and counts the cover.</summary>
    /// <param name="lonLatPolygon">Polygon or MultiPolygon in EPSG:4326 degrees (x = longitude, within -180..180).</param>
    /// <param name="matrixSet">The tile matrix set.</param>
    /// <param name="zoom">Level index in <paramref name="matrixSet"/>.</param>
    /// <param name="mode">Intersect (default) or centre rule.</param>
    /// <exception cref="UrbanScoreException">The zoom is not a level of the set, or no tile of the level meets the polygon.</exception>
    public PolygonCover(Geometry lonLatPolygon, TileMatrixSet matrixSet, int zoom, CoverMode mode = CoverMode.Intersect)
    {
        ArgumentNullException.ThrowIfNull(lonLatPolygon);
        ArgumentNullException.ThrowIfNull(matrixSet);
        if (zoom < 0 || zoom >= matrixSet.Matrices.Count)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"Zoom {zoom} is outside the tile matrix set {matrixSet.Identifier} (levels 0..{matrixSet.Matrices.Count - 1}); choose a zoom in that range."));
        }

        Zoom = zoom;
        Mode = mode;
        var matrix = matrixSet[zoom];
        _matrixWidth = matrix.MatrixWidth;
        TileSpaceGeometry = Project(lonLatPolygon, matrixSet, matrix);
        _edges = EdgesOf(TileSpaceGeometry);
        if (_edges.Length == 0)
        {
            throw new UrbanScoreException("The area has no surface (an empty or degenerate polygon); give a polygon with an area.");
        }

        _firstRow = Math.Max(0, (long)Math.Floor(_edges.Min(e => e.VMin)));
        _lastRow = Math.Min(matrix.MatrixHeight - 1, (long)Math.Ceiling(_edges.Max(e => e.VMax)) - 1);
        (Count, Extent, BlockRowCounts) = Summarise();
        if (Count == 0)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The area lies outside level {zoom} of tile matrix set {matrixSet.Identifier}; check the area and the source's extent."));
        }
    }

    /// <summary>The rule used.</summary>
    public CoverMode Mode { get; }

    /// <inheritdoc />
    public int Zoom { get; }

    /// <inheritdoc />
    public long Count { get; }

    /// <inheritdoc />
    public TileRange Extent { get; }

    /// <summary>The polygon in tile units (x = column, y = row, both growing east/south): the tests' reference.</summary>
    internal Geometry TileSpaceGeometry { get; }

    /// <summary>Tiles per block row from the first block row of <see cref="Extent"/> (shards skip whole block rows with it).</summary>
    internal IReadOnlyList<long> BlockRowCounts { get; }

    /// <inheritdoc />
    public IEnumerable<TileIndex> Enumerate() => EnumerateFrom(0);

    /// <summary>Enumerates from the first tile of block row <paramref name="blockRowSkip"/> (relative to the first).</summary>
    internal IEnumerable<TileIndex> EnumerateFrom(int blockRowSkip)
    {
        var scanner = new CoverRowScanner(_edges, Mode, _matrixWidth);
        var rows = new List<ColumnInterval>[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            rows[i] = [];
        }

        var cursor = new int[BlockSize];
        var blockColumns = new List<ColumnInterval>();
        var firstBlockRow = (_firstRow >> BlockShift) + blockRowSkip;
        for (var blockRow = firstBlockRow; (blockRow << BlockShift) <= _lastRow; blockRow++)
        {
            var rowStart = Math.Max(_firstRow, blockRow << BlockShift);
            var rowEnd = Math.Min(_lastRow, (blockRow << BlockShift) + BlockSize - 1);
            blockColumns.Clear();
            for (var row = rowStart; row <= rowEnd; row++)
            {
                var slot = (int)(row - (blockRow << BlockShift));
                scanner.Scan(row, rows[slot]);
                foreach (var interval in rows[slot])
                {
                    blockColumns.Add(new ColumnInterval(interval.Start >> BlockShift, interval.End >> BlockShift));
                }
            }

            blockColumns.Sort((x, y) => x.Start.CompareTo(y.Start));
            Array.Clear(cursor);
            long nextBlock = long.MinValue;
            foreach (var range in blockColumns)
            {
                for (var blockCol = Math.Max(range.Start, nextBlock); blockCol <= range.End; blockCol++)
                {
                    var colLo = blockCol << BlockShift;
                    var colHi = colLo + BlockSize - 1;
                    for (var row = rowStart; row <= rowEnd; row++)
                    {
                        var slot = (int)(row - (blockRow << BlockShift));
                        var intervals = rows[slot];
                        while (cursor[slot] < intervals.Count && intervals[cursor[slot]].End < colLo)
                        {
                            cursor[slot]++;
                        }

                        for (var i = cursor[slot]; i < intervals.Count && intervals[i].Start <= colHi; i++)
                        {
                            var last = Math.Min(intervals[i].End, colHi);
                            for (var col = Math.Max(intervals[i].Start, colLo); col <= last; col++)
                            {
                                yield return new TileIndex(Zoom: Zoom, Col: (int)col, Row: (int)row);
                            }
                        }
                    }
                }

                nextBlock = Math.Max(nextBlock, range.End + 1);
            }

            // Rows of the block row without any interval leave their slots stale: clear them for the next block row.
            foreach (var list in rows)
            {
                list.Clear();
            }
        }
    }

    private (long Count, TileRange Extent, long[] BlockRowCounts) Summarise()
    {
        var scanner = new CoverRowScanner(_edges, Mode, _matrixWidth);
        var intervals = new List<ColumnInterval>();
        var blockRows = new long[Math.Max(0, (int)((_lastRow >> BlockShift) - (_firstRow >> BlockShift) + 1))];
        long count = 0, minCol = long.MaxValue, maxCol = long.MinValue, minRow = long.MaxValue, maxRow = long.MinValue;
        for (var row = _firstRow; row <= _lastRow; row++)
        {
            scanner.Scan(row, intervals);
            if (intervals.Count == 0)
            {
                continue;
            }

            var inRow = intervals.Sum(i => i.Length);
            count += inRow;
            blockRows[(row >> BlockShift) - (_firstRow >> BlockShift)] += inRow;
            minCol = Math.Min(minCol, intervals[0].Start);
            maxCol = Math.Max(maxCol, intervals[^1].End);
            minRow = Math.Min(minRow, row);
            maxRow = row;
        }

        var extent = count == 0
            ? new TileRange(Zoom: Zoom, MinCol: 0, MinRow: 0, MaxCol: 0, MaxRow: 0)
            : new TileRange(Zoom: Zoom, MinCol: (int)minCol, MinRow: (int)minRow, MaxCol: (int)maxCol, MaxRow: (int)maxRow);
        return (count, extent, blockRows);
    }

    private static Geometry Project(Geometry lonLat, TileMatrixSet set, TileMatrix matrix)
    {
        var densified = Densifier.Densify(lonLat, DensifyDegrees);
        var mercator = set.Epsg == WebMercator.Epsg;
        var transform = mercator ? null : new Wgs84Transform(set.Epsg);
        var maxLat = mercator ? WebMercator.MaxLatitude : 90.0;
        var projected = densified.Copy();
        projected.Apply(new CoordinateMapper(c =>
        {
            var lat = Math.Clamp(c.Y, -maxLat, maxLat);
            double x, y;
            if (mercator)
            {
                x = WebMercator.EarthRadius * c.X * Math.PI / 180.0;
                y = WebMercator.EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360.0)));
            }
            else
            {
                (x, y) = transform!.Forward(c.X, lat);
            }

            c.X = Snap((x - matrix.TopLeftX) / matrix.TileSpanX);
            c.Y = Snap((matrix.TopLeftY - y) / matrix.TileSpanY);
        }));
        projected.GeometryChanged();
        return projected;
    }

    private static double Snap(double value)
    {
        var rounded = Math.Round(value);
        return Math.Abs(value - rounded) < SnapTiles * Math.Max(1, Math.Abs(value)) ? rounded : value;
    }

    private static CoverEdge[] EdgesOf(Geometry tileSpace)
    {
        var edges = new List<CoverEdge>();
        for (var g = 0; g < tileSpace.NumGeometries; g++)
        {
            if (tileSpace.GetGeometryN(g) is not Polygon polygon)
            {
                continue;
            }

            foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
            {
                var coordinates = ring.Coordinates;
                for (var i = 1; i < coordinates.Length; i++)
                {
                    var (a, b) = (coordinates[i - 1], coordinates[i]);
                    if (a.X != b.X || a.Y != b.Y)
                    {
                        edges.Add(new CoverEdge(U0: a.X, V0: a.Y, U1: b.X, V1: b.Y));
                    }
                }
            }
        }

        edges.Sort((x, y) => x.VMin.CompareTo(y.VMin));
        return [.. edges];
    }

    /// <summary>Applies a function to every coordinate in place.</summary>
    private sealed class CoordinateMapper(Action<Coordinate> map) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var c = seq.GetCoordinate(i);
                map(c);
                seq.SetX(i, c.X);
                seq.SetY(i, c.Y);
            }
        }
    }
}
