using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Wmts;

/// <summary>A TileMatrixSet as a capabilities document defines it, with its CRS resolved where possible.</summary>
public sealed class WmtsTileMatrixSet
{
    /// <summary>Metres per degree on the WGS 84 semi-major axis sphere: 2π × 6378137 / 360 (as GDAL and OpenLayers use it).</summary>
    internal const double MetresPerDegree = 6378137.0 * 2.0 * Math.PI / 360.0;

    /// <summary>Creates the set.</summary>
    /// <param name="identifier">TILEMATRIXSET value.</param>
    /// <param name="supportedCrs">SupportedCRS as written.</param>
    /// <param name="wellKnownScaleSet">WellKnownScaleSet URN, or null.</param>
    /// <param name="matrices">Matrices in document order.</param>
    public WmtsTileMatrixSet(string identifier, string supportedCrs, string? wellKnownScaleSet, IReadOnlyList<WmtsTileMatrix> matrices)
    {
        Identifier = identifier;
        SupportedCrs = supportedCrs;
        WellKnownScaleSet = wellKnownScaleSet;
        Matrices = matrices;
        var crs = WmtsCrs.Parse(supportedCrs);
        Epsg = crs.Epsg;
        IsGeographic = crs.IsGeographic;
    }

    /// <summary>Identifier (the TILEMATRIXSET value).</summary>
    public string Identifier { get; }

    /// <summary>SupportedCRS exactly as written (URN, URL or short form).</summary>
    public string SupportedCrs { get; }

    /// <summary>WellKnownScaleSet, or null.</summary>
    public string? WellKnownScaleSet { get; }

    /// <summary>
    /// The EPSG code of the CRS (CRS84 → 4326, 900913/102100 → 3857), or null for a non-EPSG CRS (IGNF, ESRI codes).
    /// </summary>
    public int? Epsg { get; }

    /// <summary>Whether the CRS is geographic (units are degrees).</summary>
    public bool IsGeographic { get; }

    /// <summary>Metres per CRS unit: <see cref="MetresPerDegree"/> for geographic CRSs, 1 otherwise (OGC 07-057r7 Annex E).</summary>
    public double MetresPerUnit => IsGeographic ? MetresPerDegree : 1.0;

    /// <summary>Whether UrbanScore can transform into the CRS (it is in <see cref="CrsRegistry"/>).</summary>
    public bool IsCrsSupported => Epsg is { } epsg && CrsRegistry.IsSupported(epsg);

    /// <summary>Matrices in document order (not necessarily coarse to fine; ids may repeat in broken documents).</summary>
    public IReadOnlyList<WmtsTileMatrix> Matrices { get; }

    /// <summary>Pixel size of a matrix in CRS units: ScaleDenominator × 0.28 mm / metres-per-unit (OGC 07-057r7 §6.1.1, the standardized rendering pixel of 0.28 mm).</summary>
    public double Resolution(WmtsTileMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.ScaleDenominator * TileMatrix.StandardPixelSizeMetres / MetresPerUnit;
    }

    /// <summary>
    /// Converts to the engine's <see cref="TileMatrixSet"/> (sorted coarse to fine; matrices with no tiles dropped, as
    /// GDAL does).
    /// </summary>
    /// <exception cref="UnsupportedCrsException">The EPSG CRS is not in <see cref="CrsRegistry"/>.</exception>
    /// <exception cref="WmtsCapabilitiesException">The CRS is not an EPSG code, or no matrix has tiles.</exception>
    public TileMatrixSet ToTileMatrixSet()
    {
        if (Epsg is not { } epsg)
        {
            throw new WmtsCapabilitiesException($"The tile matrix set '{Identifier}' uses the CRS '{SupportedCrs}', which is not an EPSG code UrbanScore knows; choose another tile matrix set (see 'urbanscore capabilities').")
            { Subject = InputSubject.TileMatrixSet };
        }

        if (!CrsRegistry.IsSupported(epsg))
        {
            throw new UnsupportedCrsException(epsg);
        }

        var matrices = Matrices
            .Where(m => m.MatrixWidth > 0 && m.MatrixHeight > 0 && m.TileWidth > 0 && m.TileHeight > 0 && m.ScaleDenominator > 0)
            .Select(m => new TileMatrix(
                Identifier: m.Identifier,
                ScaleDenominator: m.ScaleDenominator,
                Resolution: Resolution(m),
                TopLeftX: m.TopLeftX,
                TopLeftY: m.TopLeftY,
                TileWidth: m.TileWidth,
                TileHeight: m.TileHeight,
                MatrixWidth: m.MatrixWidth,
                MatrixHeight: m.MatrixHeight))
            .ToList();
        if (matrices.Count == 0)
        {
            throw new WmtsCapabilitiesException($"The tile matrix set '{Identifier}' has no TileMatrix with tiles; choose another tile matrix set.")
            { Subject = InputSubject.TileMatrixSet };
        }

        return new TileMatrixSet(Identifier, epsg, matrices);
    }
}
