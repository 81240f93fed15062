using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes the heatmap levels below the scored one, <c>heatmap/{z}/{x}/{y}.png</c>, like gdal2tiles overviews: each
/// pixel of a lower level is the mean score of the scored tiles it covers (empty, failed and unscored tiles are left
/// out of the mean; a pixel covering none is transparent; a tile covering none gets no file).
/// </summary>
/// <remarks>
/// <see cref="PyramidBuilder"/> builds every level in one pass over the scored level. Levels are written only while
/// the matrix set is nested 2× (resolution halves, same origin and tile size, as in GoogleMapsCompatible); the first
/// level that is not stops the pyramid.
/// </remarks>
internal static class HeatmapPyramid
{
    /// <summary>The lowest level that can be reached from <paramref name="zoom"/> through 2×-nested levels, at least <paramref name="minZoom"/>.</summary>
    public static int ReachableMinZoom(TileMatrixSet set, int zoom, int minZoom)
    {
        var level = zoom;
        while (level > minZoom && IsNested(set[level - 1], set[level]))
        {
            level--;
        }

        return level;
    }

    /// <summary>Whether <paramref name="coarse"/> is exactly <paramref name="fine"/> at half the resolution (2×2 fine tiles per coarse tile).</summary>
    public static bool IsNested(TileMatrix coarse, TileMatrix fine) =>
        Math.Abs((coarse.Resolution / fine.Resolution) - 2.0) < 1e-9
        && coarse.TileWidth == fine.TileWidth
        && coarse.TileHeight == fine.TileHeight
        && Math.Abs(coarse.TopLeftX - fine.TopLeftX) < fine.Resolution * 1e-3
        && Math.Abs(coarse.TopLeftY - fine.TopLeftY) < fine.Resolution * 1e-3;

    /// <summary>The quantised level of a cell: round(255 · mean) of its tiles, −1 when it has none.</summary>
    internal static int CellLevel(double sum, int count) => count == 0 ? -1 : HeatmapPalette.Level((float)(sum / count));

    internal static string TilePath(string outputFolder, TileIndex tile) => Path.Combine(
        outputFolder,
        HeatmapTileWriter.FolderName,
        tile.Zoom.ToString(CultureInfo.InvariantCulture),
        tile.Col.ToString(CultureInfo.InvariantCulture),
        tile.Row.ToString(CultureInfo.InvariantCulture) + ".png");
}
