using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Geo;

/// <summary>An explicit list of XYZ tiles (<c>--tiles list.csv</c>, lines "z,x,y"; a header line and '#' comments are skipped).</summary>
public sealed class TileListArea : Area
{
    private readonly TileIndex[] _tiles;

    /// <summary>Creates the area from tiles of one zoom.</summary>
    /// <exception cref="UrbanScoreException">The list is empty, mixes zooms, or a tile is outside its zoom's matrix.</exception>
    public TileListArea(IReadOnlyCollection<TileIndex> tiles, string description)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (tiles.Count == 0)
        {
            throw new UrbanScoreException("The tile list is empty; give at least one z,x,y line.");
        }

        _tiles = [.. tiles];
        Zoom = _tiles[0].Zoom;
        if (_tiles.Any(t => t.Zoom != Zoom))
        {
            throw new UrbanScoreException("The tile list mixes zoom levels; list tiles of one zoom only.");
        }

        if (Zoom is < 0 or > WebMercator.MaxZoom)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"The tile list's zoom {Zoom} is outside 0..{WebMercator.MaxZoom}; list tiles as z,x,y."));
        }

        foreach (var bad in _tiles.Where(t => t.Col < 0 || t.Row < 0 || t.Col >= (1L << t.Zoom) || t.Row >= (1L << t.Zoom)).Take(1))
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture, $"Tile {bad.Zoom}/{bad.Col}/{bad.Row} is outside the zoom {bad.Zoom} grid (0..{(1L << bad.Zoom) - 1}); fix the list."));
        }

        Description = description;
        var north = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: _tiles.Min(t => t.Col), Row: _tiles.Min(t => t.Row)));
        var south = WebMercator.TileNorthWest(new TileIndex(Zoom: Zoom, Col: _tiles.Max(t => t.Col) + 1, Row: _tiles.Max(t => t.Row) + 1));
        LonLatBounds = new BoundingBox(MinX: north.Lon, MinY: south.Lat, MaxX: south.Lon, MaxY: north.Lat);
    }

    /// <summary>The zoom of every tile.</summary>
    public int Zoom { get; }

    /// <summary>The tiles as given.</summary>
    public IReadOnlyList<TileIndex> Tiles => _tiles;

    /// <inheritdoc />
    public override double SquareKilometres => _tiles.Sum(t =>
    {
        var nw = WebMercator.TileNorthWest(t);
        var se = WebMercator.TileNorthWest(new TileIndex(Zoom: t.Zoom, Col: t.Col + 1, Row: t.Row + 1));
        return AreaGeometry.SquareKilometres(new BoundingBox(MinX: nw.Lon, MinY: se.Lat, MaxX: se.Lon, MaxY: nw.Lat));
    });

    /// <inheritdoc />
    public override BoundingBox LonLatBounds { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    /// <exception cref="UrbanScoreException"><paramref name="zoom"/> is not the list's zoom.</exception>
    public override ITileCover Cover(TileMatrixSet matrixSet, int zoom) => new TileListCover(_tiles, zoom);

    /// <summary>Reads "z,x,y" lines (XYZ numbering: x = column, y = row from the north).</summary>
    /// <exception cref="UrbanScoreException">The file is missing or a line is not three integers.</exception>
    public static TileListArea FromCsv(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UrbanScoreException($"The tile list {path} does not exist; give a CSV file of z,x,y lines.")
            { Subject = InputSubject.TileList };
        }

        var tiles = new List<TileIndex>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#') || (number == 1 && text.Any(char.IsLetter)))
            {
                continue;
            }

            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new int[3];
            if (parts.Length != 3 || !Enumerable.Range(0, 3).All(i => int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i])))
            {
                throw new UrbanScoreException($"The tile list {path} line {number} '{text}' is not z,x,y; write one tile per line as three integers, e.g. 14,9326,4739.")
                { Subject = InputSubject.TileList };
            }

            tiles.Add(new TileIndex(Zoom: values[0], Col: values[1], Row: values[2]));
        }

        return new TileListArea(tiles, "tiles " + Path.GetFileName(path));
    }
}
