using System.Globalization;
using SkiaSharp;
using UrbanScore.Pipeline;
using UrbanScore.Sources;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes <c>heatmap/{z}/{x}/{y}.png</c> for every scored tile as the pipeline produces it: a tile-sized flat
/// colour from <see cref="HeatmapPalette"/>. Empty and failed tiles get no file (transparent in any map client).
/// A score tile is one flat colour, so the 256 possible PNGs are encoded once and reused. Files are written to a
/// temporary name and renamed, so a reader never sees half a PNG.
/// </summary>
public sealed class HeatmapTileWriter : ITileSink
{
    /// <summary>Folder name of the heatmap tiles inside an output folder.</summary>
    public const string FolderName = "heatmap";

    private readonly string _root;
    private readonly int _width;
    private readonly int _height;
    private readonly HeatmapPalette _palette;
    private readonly HashSet<string> _createdFolders = new(StringComparer.Ordinal);
    private readonly byte[]?[] _pngByLevel = new byte[256][];

    /// <summary>Creates the writer for tiles of the given size under <paramref name="outputFolder"/>/heatmap.</summary>
    public HeatmapTileWriter(string outputFolder, int tileWidth, int tileHeight, HeatmapPalette palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        _palette = palette;
        _root = Path.Combine(outputFolder, FolderName);
        _width = tileWidth;
        _height = tileHeight;
    }

    /// <summary>Path of a tile's PNG.</summary>
    public string TilePath(TileIndex tile) => Path.Combine(
        _root,
        tile.Zoom.ToString(CultureInfo.InvariantCulture),
        tile.Col.ToString(CultureInfo.InvariantCulture),
        tile.Row.ToString(CultureInfo.InvariantCulture) + ".png");

    /// <inheritdoc />
    public ValueTask WriteAsync(TileOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status != TileStatus.Scored)
        {
            return ValueTask.CompletedTask;
        }

        var png = PngOf(HeatmapPalette.Level(outcome.Score));
        var path = TilePath(outcome.Tile);
        var folder = Path.GetDirectoryName(path)!;

        // One column folder serves many tiles: create it once instead of a stat per path component per tile.
        if (_createdFolders.Add(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // A few hundred bytes, written synchronously on the sink's own task: .NET's "async" file writes on Linux are
        // synchronous writes behind a thread-pool hop, which costs more than such a small write.
        AtomicFile.WriteAllBytesSingleWriter(path, png);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The PNG of a flat tile of a quantised level (encoded once per level).</summary>
    internal byte[] PngOf(byte level) => _pngByLevel[level] ??= Encode(level);

    private byte[] Encode(byte level)
    {
        Span<byte> rgba = stackalloc byte[4];
        _palette.MapLevel(level, rgba);
        using var bitmap = new SKBitmap(new SKImageInfo(_width, _height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(rgba[0], rgba[1], rgba[2], rgba[3]));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
