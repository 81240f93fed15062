using UrbanScore.Tiling;

namespace UrbanScore.Tools.Collect;

/// <summary>One tile of a collected dataset: one row of <c>manifest.csv</c>.</summary>
/// <param name="File">Path relative to the dataset folder, e.g. <c>city/15_17602_10744.jpg</c>.</param>
/// <param name="Label"><see cref="DatasetTile.CityLabel"/> or <see cref="DatasetTile.NotCityLabel"/> (also the folder name).</param>
/// <param name="Tile">The XYZ tile.</param>
/// <param name="Centre">Centre of the tile, WGS 84 degrees.</param>
/// <param name="City">Name of the city whose centre tile (or neighbour) this is, or empty for a random tile.</param>
/// <param name="Population">That city's population, or 0.</param>
/// <param name="SampledAs">How the tile was drawn: <see cref="DatasetTile.CityLabel"/> (a city-centre tile), <c>outline</c> (inside city outlines) or <c>random</c>.</param>
public readonly record struct DatasetTile(string File, string Label, TileIndex Tile, LonLat Centre, string City, long Population, string SampledAs)
{
    /// <summary>Label and folder of city tiles.</summary>
    public const string CityLabel = "city";

    /// <summary>Label and folder of not-city tiles.</summary>
    public const string NotCityLabel = "not-city";

    /// <summary><see cref="SampledAs"/> of a tile drawn inside city outlines.</summary>
    public const string OutlineSample = "outline";

    /// <summary><see cref="SampledAs"/> of a random tile.</summary>
    public const string RandomSample = "random";
}
