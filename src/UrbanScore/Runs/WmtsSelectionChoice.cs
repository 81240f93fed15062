using UrbanScore.Wmts;

namespace UrbanScore.Runs;

/// <summary>Which part of a WMTS service to score; every property may stay null to take the service's default.</summary>
public sealed class WmtsSelectionChoice
{
    /// <summary>Layer identifier (required when the service has several layers).</summary>
    public string? Layer { get; init; }

    /// <summary>Tile matrix set identifier (default: the EPSG:3857 one, else one whose CRS is supported).</summary>
    public string? TileMatrixSet { get; init; }

    /// <summary>Tile matrix identifier, instead of matching the zoom by resolution.</summary>
    public string? TileMatrix { get; init; }

    /// <summary>Style (default: the layer's default style).</summary>
    public string? Style { get; init; }

    /// <summary>Tile format such as image/jpeg (default: JPEG when offered).</summary>
    public string? Format { get; init; }

    /// <summary>Dimension values such as Time=2020-06-01.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; init; } = [];

    /// <summary>REST or KVP requests (default: REST when the service offers it).</summary>
    public WmtsEncoding Encoding { get; init; } = WmtsEncoding.Auto;
}
