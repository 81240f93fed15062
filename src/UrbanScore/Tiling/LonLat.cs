namespace UrbanScore.Tiling;

/// <summary>A WGS 84 position in degrees, longitude first (EPSG:4326 in x/y order).</summary>
/// <param name="Lon">Longitude in degrees, east positive.</param>
/// <param name="Lat">Latitude in degrees, north positive.</param>
public readonly record struct LonLat(double Lon, double Lat);
