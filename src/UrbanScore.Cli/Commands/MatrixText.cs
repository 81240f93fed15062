using System.Globalization;
using UrbanScore.Crs;
using UrbanScore.Tiling;

namespace UrbanScore.Cli.Commands;

/// <summary>"level 14 (matrix '14' of WebMercatorQuad, 9.55 m/px; 4.77 m/px on the ground at 60.2°)": which matrix a run uses.</summary>
internal static class MatrixText
{
    public static string Describe(TileMatrixSet set, int level, double latitude)
    {
        var matrix = set[level];
        var metres = matrix.Resolution * (CrsRegistry.TryGet(set.Epsg, out _) ? CrsRegistry.MetresPerUnit(set.Epsg) : 1.0);
        // Web-mercator metres shrink by cos(latitude) on the ground; say both so the figure is never a surprise.
        var ground = set.Epsg == 3857
            ? string.Create(CultureInfo.InvariantCulture, $"; {metres * Math.Cos(latitude * Math.PI / 180):0.##} m/px on the ground at {latitude:0.#}°")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"level {level} (matrix '{matrix.Identifier}' of {set.Identifier}, EPSG:{set.Epsg}, {metres:0.##} m/px{ground})");
    }
}
