namespace UrbanScore.Tiling;

/// <summary>
/// Spherical web mercator (EPSG:3857) constants and the XYZ tile scheme (OGC WebMercatorQuad,
/// https://docs.ogc.org/is/17-083r4/17-083r4.html Annex D.1).
/// </summary>
public static class WebMercator
{
    /// <summary>EPSG code of WGS 84 / Pseudo-Mercator.</summary>
    public const int Epsg = 3857;

    /// <summary>Semi-major axis of WGS 84, used as the sphere radius by EPSG:3857, in metres.</summary>
    public const double EarthRadius = 6378137.0;

    /// <summary>Half the equatorial circumference (π·R), the x/y extent of the square world, in metres.</summary>
    public const double HalfCircumference = Math.PI * EarthRadius;

    /// <summary>Latitude where the square world ends: atan(sinh(π)) in degrees (≈ 85.0511°).</summary>
    public static readonly double MaxLatitude = Math.Atan(Math.Sinh(Math.PI)) * 180.0 / Math.PI;

    /// <summary>Tile size in pixels of the XYZ scheme.</summary>
    public const int TileSize = 256;

    /// <summary>Highest zoom UrbanScore accepts (z24: ~2.4 cm pixels at the equator).</summary>
    public const int MaxZoom = 24;

    /// <summary>Refuses a zoom outside 0..<see cref="MaxZoom"/>: the one check every command and the engine share.</summary>
    /// <exception cref="UrbanScoreException">The zoom is out of range.</exception>
    public static void CheckZoom(int zoom)
    {
        if (zoom is < 0 or > MaxZoom)
        {
            throw new UrbanScoreException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Zoom {zoom} is outside 0..{MaxZoom}; choose a zoom level such as 15."))
            { Subject = InputSubject.Zoom };
        }
    }

    /// <summary>Pixel size at zoom 0 in metres: 2πR / 256 (OGC: 156543.033928041 m).</summary>
    public const double Level0Resolution = 2.0 * HalfCircumference / TileSize;

    /// <summary>Pixel size at a zoom, in metres.</summary>
    public static double Resolution(int zoom) => Level0Resolution / Math.Pow(2, zoom);

    /// <summary>Bounds of an XYZ tile in EPSG:3857 metres, computed from integer indices.</summary>
    public static BoundingBox TileBounds(TileIndex tile)
    {
        var span = 2.0 * HalfCircumference / Math.Pow(2, tile.Zoom);
        return new BoundingBox(
            MinX: -HalfCircumference + (tile.Col * span),
            MinY: HalfCircumference - ((tile.Row + 1) * span),
            MaxX: -HalfCircumference + ((tile.Col + 1) * span),
            MaxY: HalfCircumference - (tile.Row * span));
    }

    /// <summary>
    /// The XYZ tile holding a WGS 84 point, with latitude clamped to ±<see cref="MaxLatitude"/> and longitude
    /// wrapped into [-180, 180).
    /// </summary>
    public static TileIndex TileAt(LonLat point, int zoom)
    {
        var n = 1L << zoom;
        var lon = WrapLongitude(point.Lon);
        var lat = Math.Clamp(point.Lat, -MaxLatitude, MaxLatitude) * Math.PI / 180.0;
        var x = (lon + 180.0) / 360.0 * n;
        var y = (1.0 - (Math.Log(Math.Tan(lat) + (1.0 / Math.Cos(lat))) / Math.PI)) / 2.0 * n;
        return new TileIndex(
            Zoom: zoom,
            Col: (int)Math.Clamp((long)Math.Floor(x), 0, n - 1),
            Row: (int)Math.Clamp((long)Math.Floor(y), 0, n - 1));
    }

    /// <summary>The north-west corner of a tile in WGS 84 degrees.</summary>
    public static LonLat TileNorthWest(TileIndex tile)
    {
        var n = Math.Pow(2, tile.Zoom);
        var lon = (tile.Col / n * 360.0) - 180.0;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1.0 - (2.0 * tile.Row / n)))) * 180.0 / Math.PI;
        return new LonLat(Lon: lon, Lat: lat);
    }

    /// <summary>Longitude wrapped into [-180, 180).</summary>
    public static double WrapLongitude(double lon)
    {
        if (lon >= -180.0 && lon < 180.0)
        {
            return lon;
        }

        var wrapped = ((lon + 180.0) % 360.0 + 360.0) % 360.0;
        return wrapped - 180.0;
    }
}
