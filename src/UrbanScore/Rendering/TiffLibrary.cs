using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace UrbanScore.Rendering;

/// <summary>
/// Process-wide LibTiff.NET set-up: the GeoTIFF and GDAL tags LibTiff.NET 2.4.660 names but cannot write
/// (no TiffFieldInfo for them in LibTiff.NET), and an error handler that throws instead of printing.
/// </summary>
/// <remarks>
/// Both hooks are global in LibTiff.NET. The tag extender chains to any previous one; the error handler replaces
/// the default console one, so every LibTiff.NET error in the process becomes an <see cref="IOException"/>.
/// </remarks>
internal static class TiffLibrary
{
    /// <summary>GDAL_METADATA (GDAL GTiff driver doc): XML of dataset and band metadata items.</summary>
    public const TiffTag GdalMetadata = (TiffTag)42112;

    /// <summary>GDAL_NODATA (GDAL GTiff driver doc): the nodata value as ASCII, one value for all bands.</summary>
    public const TiffTag GdalNodata = (TiffTag)42113;

    private static readonly TiffFieldInfo[] s_fields =
    [
        new(TiffTag.GEOTIFF_MODELPIXELSCALETAG, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelPixelScale"),
        new(TiffTag.GEOTIFF_MODELTIEPOINTTAG, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelTiepoint"),
        new(TiffTag.GEOTIFF_MODELTRANSFORMATIONTAG, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "ModelTransformation"),
        new(TiffTag.GEOTIFF_GEOKEYDIRECTORYTAG, -1, -1, TiffType.SHORT, FieldBit.Custom, true, true, "GeoKeyDirectory"),
        new(TiffTag.GEOTIFF_GEODOUBLEPARAMSTAG, -1, -1, TiffType.DOUBLE, FieldBit.Custom, true, true, "GeoDoubleParams"),
        new(TiffTag.GEOTIFF_GEOASCIIPARAMSTAG, -1, -1, TiffType.ASCII, FieldBit.Custom, true, false, "GeoAsciiParams"),
        new(GdalMetadata, -1, -1, TiffType.ASCII, FieldBit.Custom, true, false, "GDALMetadata"),
        new(GdalNodata, -1, -1, TiffType.ASCII, FieldBit.Custom, true, false, "GDALNoDataValue"),
    ];

    private static readonly Lock s_lock = new();
    private static Tiff.TiffExtendProc? s_parentExtender;
    private static bool s_registered;

    /// <summary>Installs the tag extender and the throwing error handler once per process; cheap to call again.</summary>
    public static void EnsureRegistered()
    {
        lock (s_lock)
        {
            if (s_registered)
            {
                return;
            }

            s_parentExtender = Tiff.SetTagExtender(Extend);
            Tiff.SetErrorHandler(new ThrowingErrorHandler());
            s_registered = true;
        }
    }

    private static void Extend(Tiff tiff)
    {
        tiff.MergeFieldInfo(s_fields, s_fields.Length);
        s_parentExtender?.Invoke(tiff);
    }

    /// <summary>Turns LibTiff.NET errors (which by default go to the console while the call returns false) into exceptions.</summary>
    private sealed class ThrowingErrorHandler : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
            throw new IOException(Format(method, format, args));

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
            // ErrorHandler already threw for the same error; LibTiff.NET calls both.
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
            // Warnings (e.g. unknown tags of foreign files) carry no action for us; the default prints to stdout.
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }

        private static string Format(string method, string format, object[] args) =>
            "LibTiff.NET " + method + ": " + string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
