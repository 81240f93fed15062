using UrbanScore.Tiling;

namespace UrbanScore.Tools.Collect;

/// <summary>
/// Answers "is this point within r km of any city?" in about constant time: cities bucketed in a lon/lat grid whose
/// cells are at least r tall, so a query looks only at the cells its circle can touch. Immutable, thread-safe.
/// </summary>
internal sealed class CityExclusionGrid
{
    /// <summary>Mean Earth radius in kilometres (IUGG), for great-circle distances.</summary>
    internal const double EarthRadiusKm = 6371.0088;

    /// <summary>Kilometres per degree of latitude on the mean sphere.</summary>
    internal const double KmPerDegree = EarthRadiusKm * Math.PI / 180;

    private readonly double _radiusKm;
    private readonly double _cellDegrees;
    private readonly int _cols;
    private readonly int _rows;
    private readonly Dictionary<int, List<LonLat>> _cells = [];

    public CityExclusionGrid(IEnumerable<LonLat> cities, double radiusKm)
    {
        _radiusKm = radiusKm;

        // Cells one radius tall (at least 0.05° so a tiny radius does not make millions of cells).
        _cellDegrees = Math.Clamp(radiusKm / KmPerDegree, 0.05, 90);
        _cols = (int)Math.Ceiling(360 / _cellDegrees);
        _rows = (int)Math.Ceiling(180 / _cellDegrees);
        foreach (var city in cities)
        {
            var key = Key(ColOf(city.Lon), RowOf(city.Lat));
            if (!_cells.TryGetValue(key, out var list))
            {
                _cells[key] = list = [];
            }

            list.Add(city);
        }
    }

    /// <summary>Whether <paramref name="point"/> is strictly closer than the radius to any city.</summary>
    public bool IsNearCity(LonLat point)
    {
        if (_radiusKm <= 0 || _cells.Count == 0)
        {
            return false;
        }

        var latSpan = _radiusKm / KmPerDegree;
        var row0 = RowOf(Math.Max(-90, point.Lat - latSpan));
        var row1 = RowOf(Math.Min(90, point.Lat + latSpan));

        // Longitude span widens towards the poles; near a pole (or for huge radii) every column is searched.
        var maxAbsLat = Math.Min(90, Math.Abs(point.Lat) + latSpan);
        var cos = Math.Cos(maxAbsLat * Math.PI / 180);
        var lonSpan = cos < 1e-6 ? 180 : Math.Min(180, latSpan / cos);
        var colSpan = Math.Min(_cols / 2, (int)Math.Ceiling(lonSpan / _cellDegrees));
        var centreCol = ColOf(point.Lon);
        for (var row = row0; row <= row1; row++)
        {
            for (var dc = -colSpan; dc <= colSpan; dc++)
            {
                var col = ((centreCol + dc) % _cols + _cols) % _cols;
                if (_cells.TryGetValue(Key(col, row), out var list))
                {
                    foreach (var city in list)
                    {
                        if (DistanceKm(point, city) < _radiusKm)
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Great-circle (haversine) distance in kilometres.</summary>
    internal static double DistanceKm(LonLat a, LonLat b)
    {
        const double rad = Math.PI / 180;
        var dLat = (b.Lat - a.Lat) * rad;
        var dLon = (b.Lon - a.Lon) * rad;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(a.Lat * rad) * Math.Cos(b.Lat * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private int ColOf(double lon) => Math.Clamp((int)Math.Floor((WebMercator.WrapLongitude(lon) + 180) / _cellDegrees), 0, _cols - 1);

    private int RowOf(double lat) => Math.Clamp((int)Math.Floor((lat + 90) / _cellDegrees), 0, _rows - 1);

    private int Key(int col, int row) => (row * _cols) + col;
}
