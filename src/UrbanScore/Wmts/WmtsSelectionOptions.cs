namespace UrbanScore.Wmts;

/// <summary>What to fetch from a WMTS: every property is optional and has a documented default.</summary>
public sealed class WmtsSelectionOptions
{
    /// <summary>Layer identifier; required when the service has more than one layer.</summary>
    public string? Layer { get; init; }

    /// <summary>Tile matrix set identifier; default: the layer's set in EPSG:3857, else the first one in a supported CRS.</summary>
    public string? TileMatrixSet { get; init; }

    /// <summary>Style identifier; default: the style marked isDefault, else the first, else empty.</summary>
    public string? Style { get; init; }

    /// <summary>Tile format as advertised; default: JPEG first (imagery), then ArcGIS image/jpgpng, then PNG.</summary>
    public string? Format { get; init; }

    /// <summary>Dimension values (e.g. Time=2020-06-01); dimensions not given take their advertised default.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; init; } = [];

    /// <summary>
    /// Web-mercator zoom to score at: the matrix whose resolution equals that zoom's (WebMercatorQuad-compatible sets),
    /// else the matrix nearest in resolution to the zoom's ground resolution at <see cref="ReferenceLatitude"/>
    /// (identifiers are opaque strings). Mutually exclusive with <see cref="TileMatrix"/>.
    /// </summary>
    public int? Zoom { get; init; }

    /// <summary>TileMatrix identifier chosen directly (opaque: "05", "EPSG:900913:5", "1e6").</summary>
    public string? TileMatrix { get; init; }

    /// <summary>Latitude in degrees at which a web-mercator zoom's ground resolution is taken for non-mercator sets (the area's centre).</summary>
    public double ReferenceLatitude { get; init; }

    /// <summary>KVP or RESTful GetTile; <see cref="WmtsEncoding.Auto"/> prefers the layer's tile ResourceURL.</summary>
    public WmtsEncoding Encoding { get; init; } = WmtsEncoding.Auto;
}
