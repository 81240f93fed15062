using UrbanScore.Tiling;

namespace UrbanScore.Tools.Cities;

/// <summary>One populated place of a <see cref="CityCatalog"/>.</summary>
/// <param name="Id">Identifier from the source list (the GeoNames geonameid for the embedded list and cities15000.txt, the SimpleMaps id for worldcities.csv).</param>
/// <param name="Name">Name as written in the source list (UTF-8, may hold commas).</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code, upper case (empty when the source has none).</param>
/// <param name="Population">Inhabitants as given by the source list (0 when unknown).</param>
/// <param name="Location">Centre of the place, WGS 84 degrees.</param>
public readonly record struct City(long Id, string Name, string Country, long Population, LonLat Location);
