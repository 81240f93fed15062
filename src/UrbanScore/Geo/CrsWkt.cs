namespace UrbanScore.Geo;

/// <summary>WKT definitions (EPSG registry) of the projected CRSs beyond 4326/3857.</summary>
internal static class CrsWkt
{
    /// <summary>The WKT of an EPSG code, or null when we do not carry it.</summary>
    public static string? Find(int epsg) => epsg switch
    {
        _ => null,
    };
}
