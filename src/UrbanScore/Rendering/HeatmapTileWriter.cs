using System.Globalization;
using Microsoft.Win32.SafeHandles;
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
/// renames a new file over the name), so linked tiles never change together. On Linux each column folder is opened
/// once and the links are made between open folders (<c>linkat(2)</c>): the kernel looks up one name on each side
/// instead of walking both paths from the root, a quarter of a link's CPU in a profile. The writer owns those handles:
/// dispose it when the run ends.
/// </summary>
public sealed class HeatmapTileWriter : ITileSink, IDisposable
{
    /// <summary>Folder name of the heatmap tiles inside an output folder.</summary>
    public const string FolderName = "heatmap";

    private readonly string _root;
    private readonly int _width;
    private readonly int _height;
    private readonly HeatmapPalette _palette;
    /// <summary>
    /// Folder handles kept open at most: one per column of the area, so a run 4,096 tiles wide (z16 across France is
    /// ~2,400) links every tile between open folders; columns beyond it link by path.
    /// </summary>
    private const int MaxFolderHandles = 4096;

    /// <summary>Bytes of a tile's file name: a row number (at most 10 digits), ".png" and the NUL.</summary>
    private const int MaxNameBytes = 16;

    /// <summary>
    /// The column folders created so far, by zoom and column, each with its open handle where links are made between
    /// open folders (owned), else null.
    /// </summary>
    private readonly Dictionary<long, SafeFileHandle?> _columns = [];
    private readonly byte[]?[] _pngByLevel = new byte[256][];
    private BlockPng? _encoder;

    /// <summary>Per level, a tile this writer wrote with that level's PNG: what later tiles of the level link to.</summary>
    private readonly LinkSource?[] _linkSourceByLevel = new LinkSource?[256];

    /// <summary>The level each link source was written with, to drop a source whose tile is rewritten with another.</summary>
    private readonly Dictionary<TileIndex, byte> _levelBySource = [];
    private bool _linking = HardLink.IsSupported;
    private bool _openingFolders = HardLink.HasFolderHandles;

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
        var column = Column(tile);
        Span<byte> name = stackalloc byte[MaxNameBytes];
        name = name[..FileName(tile.Row, name)];
        if (!TryLink(level, tile, column, name))
        {
            // A few hundred bytes, written synchronously on the sink's own task: .NET's "async" file writes on Linux
            // are synchronous writes behind a thread-pool hop, which costs more than such a small write.
            AtomicFile.WriteAllBytesSingleWriter(TilePath(tile), PngOf(level));
            Remember(level, tile, column);
        }
    }

    /// <summary>Makes <paramref name="tile"/> a link to the level's source tile; false when the bytes must be written.</summary>
    private bool TryLink(byte level, TileIndex tile, SafeFileHandle? column, ReadOnlySpan<byte> name)
    {
        if (_levelBySource.Remove(tile, out var sourceLevel))
        {
            // Rewriting a source tile itself: write it (a link onto itself is meaningless) and let its level re-pick.
            _linkSourceByLevel[sourceLevel] = null;
            return false;
        }

        if (!_linking || _linkSourceByLevel[level] is not { } source)
        {
            return false;
        }

        var error = Link(source, column, name, tile);
        if (error == 0)
        {
            return true;
        }

        // The source is gone or has too many links (EMLINK: 65,000 on ext4): the next written tile becomes the new
        // source. A file system without hard links (EPERM, ENOTSUP, ...) answers the same for every tile: stop trying.
        _levelBySource.Remove(source.Tile);
        _linkSourceByLevel[level] = null;
        if (error is not (HardLink.NoSuchFile or HardLink.TooManyLinks))
        {
            _linking = false;
        }

        return false;
    }

    /// <summary>
    /// Links <paramref name="tile"/> to <paramref name="source"/>: between the open column folders where both are
    /// open, else (or when the name exists: a resumed or forced run rewrites it) by path, replacing the old file.
    /// </summary>
    private int Link(LinkSource source, SafeFileHandle? column, ReadOnlySpan<byte> name, TileIndex tile)
    {
        if (source.Folder is not { } from || column is not { } to)
        {
            return HardLink.TryCreateOver(TilePath(source.Tile), TilePath(tile));
        }

        Span<byte> sourceName = stackalloc byte[MaxNameBytes];
        var error = HardLink.TryCreateAt(from, sourceName[..FileName(source.Tile.Row, sourceName)], to, name);
        return error == HardLink.AlreadyExists ? HardLink.TryReplace(TilePath(source.Tile), TilePath(tile)) : error;
    }

    private void Remember(byte level, TileIndex tile, SafeFileHandle? column)
    {
        if (_linking && _linkSourceByLevel[level] is null)
        {
            _linkSourceByLevel[level] = new LinkSource(tile, column);
            _levelBySource[tile] = level;
        }
    }

    /// <summary>
    /// The folder of <paramref name="tile"/>'s column, created (and on Linux opened) the first time: one folder serves
    /// many tiles, so there is no stat per path component per tile. Returns its handle, or null where it is not open.
    /// </summary>
    private SafeFileHandle? Column(TileIndex tile)
    {
        var key = ((long)tile.Zoom << 32) | (uint)tile.Col;
        if (_columns.TryGetValue(key, out var column))
        {
            return column;
        }

        var path = Path.Combine(_root, tile.Zoom.ToString(CultureInfo.InvariantCulture), tile.Col.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        column = _openingFolders && _columns.Count < MaxFolderHandles ? HardLink.OpenFolder(path) : null;
        _columns.Add(key, column);

        // A folder that cannot be opened (out of file handles) ends the opening: later columns link by path.
        _openingFolders &= column is not null;
        return column;
    }

    /// <summary>Writes "{row}.png" and a NUL into <paramref name="destination"/>; returns the bytes written.</summary>
    private static int FileName(int row, Span<byte> destination)
    {
        row.TryFormat(destination, out var digits, provider: CultureInfo.InvariantCulture);
        ".png\0"u8.CopyTo(destination[digits..]);
        return digits + 5;
    }

    /// <summary>Closes the column folders' handles.</summary>
    public void Dispose()
    {
        foreach (var column in _columns.Values)
        {
            column?.Dispose();
        }

        _columns.Clear();
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

    /// <summary>A tile written with a level's PNG, and its column folder's handle (null where it is not open).</summary>
    private readonly record struct LinkSource(TileIndex Tile, SafeFileHandle? Folder);
}
