using UrbanScore.Tiling;

namespace UrbanScore.Tools.Collect;

/// <summary>
/// An endless, seeded stream of distinct random tiles away from every city: uniform by area in a lon/lat box, or
/// around the cities (a city chosen uniformly, then a point uniform in a disc around it). Not thread-safe.
/// </summary>
internal sealed class RandomTileSampler
{
    private readonly Random _random;
    private readonly int _zoom;
    private readonly BoundingBox? _area;
    private readonly IReadOnlyList<LonLat> _cities;
    private readonly double _spreadKm;
    private readonly CityExclusionGrid _exclusion;
    private readonly HashSet<TileIndex> _taken;
    private readonly Func<TileIndex, bool>? _reject;

    /// <param name="seed">Seed of the stream.</param>
    /// <param name="zoom">Zoom of the tiles.</param>
    /// <param name="area">Lon/lat box to draw in, or null to draw around <paramref name="cities"/>.</param>
    /// <param name="cities">City centres (exclusion set, and draw centres when <paramref name="area"/> is null).</param>
    /// <param name="spreadKm">Disc radius around a city when drawing around cities.</param>
    /// <param name="excludeRadiusKm">No tile centre closer than this to a city.</param>
    /// <param name="taken">Tiles never to return (the city tiles); tiles returned are added to it.</param>
    /// <param name="reject">Tiles never to return besides (e.g. those near city outlines), or null.</param>
    public RandomTileSampler(int seed, int zoom, BoundingBox? area, IReadOnlyList<LonLat> cities, double spreadKm, double excludeRadiusKm, HashSet<TileIndex> taken, Func<TileIndex, bool>? reject = null)
    {
        _random = new Random(seed);
        _zoom = zoom;
        _area = area;
        _cities = cities;
        _spreadKm = spreadKm;
        _exclusion = new CityExclusionGrid(cities, excludeRadiusKm);
        _taken = taken;
        _reject = reject;
    }

    /// <summary>Draws the next tile, or null after <paramref name="maxAttempts"/> rejected points (the area is all excluded).</summary>
    public TileIndex? Next(int maxAttempts = 100_000)
    {
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var point = _area is { } box ? InBox(box) : AroundCity();
            var tile = WebMercator.TileAt(point, _zoom);
            if (_taken.Contains(tile) || _exclusion.IsNearCity(TileCentre(tile)) || (_reject?.Invoke(tile) ?? false))
            {
                continue;
            }

            _taken.Add(tile);
            return tile;
        }

        return null;
    }

    /// <summary>Centre of an XYZ tile in WGS 84 degrees.</summary>
    public static LonLat TileCentre(TileIndex tile)
    {
        var n = (double)(1L << tile.Zoom);
        var lon = ((tile.Col + 0.5) / n * 360) - 180;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1 - (2 * (tile.Row + 0.5) / n)))) * 180 / Math.PI;
        return new LonLat(Lon: lon, Lat: lat);
    }

    private LonLat InBox(BoundingBox box)
    {
        // Uniform by area on the sphere: longitude uniform, sin(latitude) uniform. minLon > maxLon crosses the antimeridian.
        var width = box.MaxX >= box.MinX ? box.MaxX - box.MinX : box.MaxX - box.MinX + 360;
        var lon = WebMercator.WrapLongitude(box.MinX + (_random.NextDouble() * width));
        var minLat = Math.Max(box.MinY, -WebMercator.MaxLatitude) * Math.PI / 180;
        var maxLat = Math.Min(box.MaxY, WebMercator.MaxLatitude) * Math.PI / 180;
        var s = Math.Sin(minLat) + (_random.NextDouble() * (Math.Sin(maxLat) - Math.Sin(minLat)));
        return new LonLat(Lon: lon, Lat: Math.Asin(s) * 180 / Math.PI);
    }

    private LonLat AroundCity()
    {
        var centre = _cities[_random.Next(_cities.Count)];

        // Uniform in the disc: r = R·sqrt(u). Local equirectangular offsets are exact enough within ~100 km.
        var r = _spreadKm * Math.Sqrt(_random.NextDouble());
        var bearing = _random.NextDouble() * 2 * Math.PI;
        var lat = Math.Clamp(centre.Lat + (r * Math.Cos(bearing) / CityExclusionGrid.KmPerDegree), -WebMercator.MaxLatitude, WebMercator.MaxLatitude);
        var cos = Math.Max(Math.Cos(centre.Lat * Math.PI / 180), 0.01);
        var lon = WebMercator.WrapLongitude(centre.Lon + (r * Math.Sin(bearing) / (CityExclusionGrid.KmPerDegree * cos)));
        return new LonLat(Lon: lon, Lat: lat);
    }
}
