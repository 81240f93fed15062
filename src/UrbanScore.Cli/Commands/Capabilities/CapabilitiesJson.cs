using UrbanScore.Wmts;

namespace UrbanScore.Cli.Commands.Capabilities;

/// <summary>The document of <c>capabilities --json</c>: layers and tile matrix sets as UrbanScore reads them.</summary>
internal sealed record CapabilitiesJson(IReadOnlyList<LayerJson> Layers, IReadOnlyList<TileMatrixSetJson> TileMatrixSets)
{
    public static CapabilitiesJson From(WmtsCapabilities capabilities) => new(
        [.. capabilities.Layers.Select(l => new LayerJson(
            l.Identifier,
            l.Title,
            l.Formats,
            [.. l.Styles.Select(s => new StyleJson(s.Identifier, s.IsDefault))],
            [.. l.TileMatrixSetLinks.Select(k => new TileMatrixSetLinkJson(k.TileMatrixSet, [.. k.Limits.Select(m => new LimitsJson(m.TileMatrix, m.MinTileRow, m.MaxTileRow, m.MinTileCol, m.MaxTileCol))]))],
            [.. l.ResourceUrls.Select(r => new ResourceUrlJson(r.Format, r.ResourceType, r.Template))],
            [.. l.Dimensions.Select(d => new DimensionJson(d.Identifier, d.Default, d.Values))]))],
        [.. capabilities.TileMatrixSets.Select(s => new TileMatrixSetJson(
            s.Identifier,
            s.SupportedCrs,
            [.. s.Matrices.Select(m => new TileMatrixJson(m.Identifier, m.ScaleDenominator, [m.TopLeftX, m.TopLeftY], m.TileWidth, m.TileHeight, m.MatrixWidth, m.MatrixHeight))]))]);
}

internal sealed record LayerJson(
    string Identifier,
    string? Title,
    IReadOnlyList<string> Formats,
    IReadOnlyList<StyleJson> Styles,
    IReadOnlyList<TileMatrixSetLinkJson> TileMatrixSetLinks,
    IReadOnlyList<ResourceUrlJson> ResourceUrls,
    IReadOnlyList<DimensionJson> Dimensions);

internal sealed record StyleJson(string Identifier, bool IsDefault);

internal sealed record TileMatrixSetLinkJson(string TileMatrixSet, IReadOnlyList<LimitsJson> Limits);

internal sealed record LimitsJson(string TileMatrix, long MinTileRow, long MaxTileRow, long MinTileCol, long MaxTileCol);

internal sealed record ResourceUrlJson(string Format, string ResourceType, string Template);

internal sealed record DimensionJson(string Identifier, string? Default, IReadOnlyList<string> Values);

internal sealed record TileMatrixSetJson(string Identifier, string SupportedCrs, IReadOnlyList<TileMatrixJson> TileMatrices);

/// <summary>One matrix; <c>topLeftCorner</c> is x, y after axis-order handling.</summary>
internal sealed record TileMatrixJson(string Identifier, double ScaleDenominator, double[] TopLeftCorner, int TileWidth, int TileHeight, long MatrixWidth, long MatrixHeight);
