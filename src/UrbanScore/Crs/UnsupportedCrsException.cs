using System.Globalization;

namespace UrbanScore.Crs;

/// <summary>A CRS that UrbanScore carries no definition for.</summary>
public sealed class UnsupportedCrsException : UrbanScoreException
{
    /// <summary>Creates the exception for an EPSG code.</summary>
    public UnsupportedCrsException(int epsg)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"EPSG:{epsg} is not a CRS UrbanScore can transform to; choose a tile matrix set in EPSG:3857 or another supported CRS."))
    {
        Epsg = epsg;
        Subject = InputSubject.TileMatrixSet;
    }

    /// <summary>The EPSG code asked for.</summary>
    public int Epsg { get; }
}
