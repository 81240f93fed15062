using System.Globalization;
using UrbanScore.Pipeline;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes <c>heatmap/{z}/{x}/{y}.png</c> for every scored tile as the pipeline produces it: a tile-sized flat
/// colour from <see cref="HeatmapPalette"/>. Empty and failed tiles get no file (transparent in any map client).
/// A score tile is one flat colour, so the 256 possible PNGs are encoded once and reused. The first tile of a level
/// is written to a temporary name and renamed, so a reader never sees half a PNG; later tiles of that level are hard
/// links to it where the file system allows (<see cref="HardLink"/>): no inode, no data blocks, ~40× less kernel CPU
/// per tile than creating a file on a busy ext4 (docs/performance.md). Nothing in UrbanScore writes a tile in place (every rewrite
/// renames a new file over the name), so linked tiles never change together.
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
    private BlockPng? _encoder;

    /// <summary>Per level, a tile this writer wrote with that level's PNG: what later tiles of the level link to.</summary>
    private readonly string?[] _linkSourceByLevel = new string[256];

    /// <summary>The level each link source was written with, to drop a source whose tile is rewritten with another.</summary>
    private readonly Dictionary<string, byte> _levelBySource = new(StringComparer.Ordinal);
    private bool _linking = HardLink.IsSupported;

    /// <summary>
    /// A fully transparent PNG of <paramref name="width"/> × <paramref name="height"/> pixels: what a server of a run
    /// folder answers for a heatmap tile inside the pyramid that has no file (no score there).
    /// </summary>
    /// <param name="width">Pixels across.</param>
    /// <param name="height">Pixels down.</param>
    public static byte[] TransparentPng(int width, int height) => new BlockPng(width, height).Encode([0, 0, 0, 0], 1, 1);

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

        Write(outcome.Tile, HeatmapPalette.Level(outcome.Score));
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes (or links) the PNG of a scored tile of quantised level <paramref name="level"/>.</summary>
    internal void Write(TileIndex tile, byte level)
    {
        var path = TilePath(tile);
        var folder = Path.GetDirectoryName(path)!;

        // One column folder serves many tiles: create it once instead of a stat per path component per tile.
        if (_createdFolders.Add(folder))
        {
            Directory.CreateDirectory(folder);
        }

        if (!TryLink(level, path))
        {
            // A few hundred bytes, written synchronously on the sink's own task: .NET's "async" file writes on Linux
            // are synchronous writes behind a thread-pool hop, which costs more than such a small write.
            AtomicFile.WriteAllBytesSingleWriter(path, PngOf(level));
            Remember(level, path);
        }
    }

    /// <summary>Makes <paramref name="path"/> a link to the level's source tile; false when the bytes must be written.</summary>
    private bool TryLink(byte level, string path)
    {
        if (_levelBySource.Remove(path, out var sourceLevel))
        {
            // Rewriting a source tile itself: write it (a link onto itself is meaningless) and let its level re-pick.
            _linkSourceByLevel[sourceLevel] = null;
            return false;
        }

        if (!_linking || _linkSourceByLevel[level] is not { } source)
        {
            return false;
        }

        var error = HardLink.TryCreateOver(source, path);
        if (error == 0)
        {
            return true;
        }

        // The source is gone or has too many links (EMLINK: 65,000 on ext4): the next written tile becomes the new
        // source. A file system without hard links (EPERM, ENOTSUP, ...) answers the same for every tile: stop trying.
        _levelBySource.Remove(source);
        _linkSourceByLevel[level] = null;
        if (error is not (HardLink.NoSuchFile or HardLink.TooManyLinks))
        {
            _linking = false;
        }

        return false;
    }

    private void Remember(byte level, string path)
    {
        if (_linking && _linkSourceByLevel[level] is null)
        {
            _linkSourceByLevel[level] = path;
            _levelBySource[path] = level;
        }
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The PNG of a flat tile of a quantised level (encoded once per level).</summary>
    internal byte[] PngOf(byte level) => _pngByLevel[level] ??= Encode(level);

    private byte[] Encode(byte level)
    {
        // One flat block: the pyramid's encoder writes it in a fraction of the time of a general PNG encoder
        // (Skia tried every filter on every line: up to 256 encodes per run, in the sink and again in the products).
        Span<byte> rgba = stackalloc byte[4];
        _palette.MapLevel(level, rgba);
        _encoder ??= new BlockPng(_width, _height);
        return _encoder.Encode(rgba, 1, 1);
    }
}
