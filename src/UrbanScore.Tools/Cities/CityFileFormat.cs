namespace UrbanScore.Tools.Cities;

/// <summary>The city-list layouts <see cref="CityCatalog.LoadAsync"/> reads.</summary>
public enum CityFileFormat
{
    /// <summary>
    /// UrbanScore's compact CSV (the embedded list): header <c>id,name,country,population,lat,lon</c>, RFC 4180 quoting.
    /// </summary>
    UrbanScoreCsv,

    /// <summary>
    /// GeoNames dump (<c>cities15000.txt</c>, <c>cities1000.txt</c>, ...): tab separated, no header, 19 columns of which
    /// UrbanScore reads geonameid (1), name (2), latitude (5), longitude (6), country code (9) and population (15);
    /// https://download.geonames.org/export/dump/readme.txt.
    /// </summary>
    GeoNames,

    /// <summary>
    /// SimpleMaps <c>worldcities.csv</c>: comma separated with a quoted header, columns <c>city</c>, <c>lat</c>,
    /// <c>lng</c>, <c>iso2</c>, <c>population</c> and <c>id</c> (others ignored); https://simplemaps.com/data/world-cities.
    /// </summary>
    SimpleMaps,
}
