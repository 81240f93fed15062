using System.Globalization;
using UrbanScore.Crs;

namespace UrbanScore.Tiling;

/// <summary>Which tiles of a matrix cover a WGS 84 bounding box.</summary>
public static class TileCover
{
    /// <summary>Points per box edge when a non-mercator CRS bends the box's edges (keeps the cover exact enough).</summary>
    private const int DensifyPointsPerEdge = 64;

    /// <summary>
    /// The tile ranges covering <paramref name="lonLatBox"/> (EPSG:4326 degrees, x = longitude) at level
    /// <paramref name="zoom"/> of <paramref name="set"/>: one range, or two when the box crosses the antimeridian
    /// (MinX &gt; MaxX). The box is transformed with ProjNet into the set's CRS (densified edges), and latitudes are
    /// clamped to the web-mercator limit for EPSG:3857.
    /// </summary>
    /// <exception cref="UrbanScoreException">The box or zoom is invalid.</exception>
    public static IReadOnlyList<TileRange> ForBoundingBox(BoundingBox lonLatBox, TileMatrixSet set, int zoom)
    {
        ArgumentNullException.ThrowIfNull(set);
        Validate(lonLatBox);
        if (zoom < 0 || zoom >= set.Matrices.Count)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"Zoom {zoom} is outside the tile matrix set {set.Identifier} (levels 0..{set.Matrices.Count - 1}); choose a zoom in that range."));
        }

        if (lonLatBox.MinX > lonLatBox.MaxX)
        {
            return
            [
                .. ForBoundingBox(lonLatBox with { MaxX = 180.0 }, set, zoom),
                .. ForBoundingBox(lonLatBox with { MinX = -180.0 }, set, zoom),
            ];
        }

        var matrix = set[zoom];
        var transform = new Wgs84Transform(set.Epsg);
        var maxLat = set.Epsg == WebMercator.Epsg ? WebMercator.MaxLatitude : 90.0;
        var box = lonLatBox with
        {
            MinY = Math.Clamp(lonLatBox.MinY, -maxLat, maxLat),
            MaxY = Math.Clamp(lonLatBox.MaxY, -maxLat, maxLat),
        };

        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (lon, lat) in Boundary(box, set.Epsg == WebMercator.Epsg || set.Epsg == 4326 ? 2 : DensifyPointsPerEdge))
        {
            var (x, y) = transform.Forward(lon, lat);
            minX = Math.Min(minX, x);
            minY = Math.Min(minY, y);
            maxX = Math.Max(maxX, x);
            maxY = Math.Max(maxY, y);
        }

        // Edges that fall exactly on a tile boundary (within 1e-9 of a tile) do not pull in the next tile.
        const double edgeEpsilon = 1e-9;
        var firstCol = (long)Math.Floor(((minX - matrix.TopLeftX) / matrix.TileSpanX) + edgeEpsilon);
        var lastCol = (long)Math.Ceiling(((maxX - matrix.TopLeftX) / matrix.TileSpanX) - edgeEpsilon) - 1;
        var firstRow = (long)Math.Floor(((matrix.TopLeftY - maxY) / matrix.TileSpanY) + edgeEpsilon);
        var lastRow = (long)Math.Ceiling(((matrix.TopLeftY - minY) / matrix.TileSpanY) - edgeEpsilon) - 1;
        lastCol = Math.Max(lastCol, firstCol);
        lastRow = Math.Max(lastRow, firstRow);

        firstCol = Math.Clamp(firstCol, 0, matrix.MatrixWidth - 1);
        lastCol = Math.Clamp(lastCol, 0, matrix.MatrixWidth - 1);
        firstRow = Math.Clamp(firstRow, 0, matrix.MatrixHeight - 1);
        lastRow = Math.Clamp(lastRow, 0, matrix.MatrixHeight - 1);
        return [new TileRange(Zoom: zoom, MinCol: (int)firstCol, MinRow: (int)firstRow, MaxCol: (int)lastCol, MaxRow: (int)lastRow)];
    }

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" (degrees, invariant culture).</summary>
    /// <exception cref="UrbanScoreException">Not four numbers, or out of range.</exception>
    public static BoundingBox ParseBoundingBox(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new UrbanScoreException($"The bounding box '{text}' is not four numbers; write it as minLon,minLat,maxLon,maxLat in degrees, e.g. 24.80,60.10,25.10,60.30.")
            { Subject = InputSubject.BoundingBox };
        }

        var box = new BoundingBox(MinX: values[0], MinY: values[1], MaxX: values[2], MaxY: values[3]);
        Validate(box);
        return box;
    }

    /// <summary>Checks a longitude/latitude box.</summary>
    /// <exception cref="UrbanScoreException">The box is invalid.</exception>
    public static void Validate(BoundingBox box)
    {
        if (new[] { box.MinX, box.MinY, box.MaxX, box.MaxY }.Any(v => !double.IsFinite(v)))
        {
            throw new UrbanScoreException("The bounding box has a value that is not a finite number; write it as minLon,minLat,maxLon,maxLat in degrees.")
            { Subject = InputSubject.BoundingBox };
        }

        if (box.MinX < -180 || box.MaxX > 180 || box.MinX > 180 || box.MaxX < -180)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The bounding box's longitudes {box.MinX},{box.MaxX} are outside -180..180; give longitudes in degrees (minLon > maxLon means the box crosses the antimeridian)."))
            { Subject = InputSubject.BoundingBox };
        }

        if (box.MinY < -90 || box.MaxY > 90)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The bounding box's latitudes {box.MinY},{box.MaxY} are outside -90..90; give latitudes in degrees."))
            { Subject = InputSubject.BoundingBox };
        }

        if (box.MinY >= box.MaxY)
        {
            throw new UrbanScoreException(string.Create(CultureInfo.InvariantCulture,
                $"The bounding box has minLat {box.MinY} not below maxLat {box.MaxY}; the order is minLon,minLat,maxLon,maxLat."))
            { Subject = InputSubject.BoundingBox };
        }

        if (box.MinX == box.MaxX)
        {
            throw new UrbanScoreException("The bounding box has minLon equal to maxLon, an empty box; the order is minLon,minLat,maxLon,maxLat.")
            { Subject = InputSubject.BoundingBox };
        }
    }

    private static IEnumerable<(double Lon, double Lat)> Boundary(BoundingBox box, int pointsPerEdge)
    {
        for (var i = 0; i < pointsPerEdge; i++)
        {
            var t = (double)i / (pointsPerEdge - 1);
            var lon = box.MinX + (t * box.Width);
            var lat = box.MinY + (t * box.Height);
            yield return (lon, box.MinY);
            yield return (lon, box.MaxY);
            yield return (box.MinX, lat);
            yield return (box.MaxX, lat);
        }
    }
}
