using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Tests.Reliability;

/// <summary>A rectangle of XYZ tiles for CLI runs: its --bbox, and a tile's index from an /{z}/{x}/{y}.ext path.</summary>
internal sealed class TileGrid(int zoom, int firstCol, int firstRow, int cols, int rows)
{
    public int Zoom => zoom;

    public int Count => cols * rows;

    public string Bbox
    {
        get
        {
            var nw = WebMercator.TileNorthWest(new TileIndex(Zoom: zoom, Col: firstCol, Row: firstRow));
            var se = WebMercator.TileNorthWest(new TileIndex(Zoom: zoom, Col: firstCol + cols, Row: firstRow + rows));
            return string.Create(CultureInfo.InvariantCulture, $"{nw.Lon + 1e-7:R},{se.Lat + 1e-7:R},{se.Lon - 1e-7:R},{nw.Lat - 1e-7:R}");
        }
    }

    /// <summary>Row-major index of the tile a request path names, or -1 outside the grid.</summary>
    public int IndexOf(string path)
    {
        var parts = path.Trim('/').Split('/');
        var col = int.Parse(parts[^2], CultureInfo.InvariantCulture) - firstCol;
        var row = int.Parse(parts[^1].Split('.')[0], CultureInfo.InvariantCulture) - firstRow;
        return col < 0 || row < 0 || col >= cols || row >= rows ? -1 : (row * cols) + col;
    }

    /// <summary>Row-major index of a tile in scores.csv columns (x, y).</summary>
    public int IndexOf(int col, int row) => ((row - firstRow) * cols) + col - firstCol;

    public static string Model(string name = "colour-logits") => Path.Combine(AppContext.BaseDirectory, "TestData", "models", name, "model.onnx");

    /// <summary>scores.csv rows by tile index: (status, score, attempts, reason).</summary>
    public Dictionary<int, (string Status, string Score, int Attempts, string Reason)> ReadCsv(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "scores.csv"));
        var header = lines[0].Split(',');
        var attemptsColumn = Array.IndexOf(header, "attempts");
        return lines.Skip(1).Select(l => l.Split(',', attemptsColumn + 2)).ToDictionary(
            f => IndexOf(int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture)),
            f => (f[3], f[4], int.Parse(f[attemptsColumn], CultureInfo.InvariantCulture), f.Length > attemptsColumn + 1 ? f[attemptsColumn + 1] : string.Empty));
    }
}
