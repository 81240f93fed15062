using System.Globalization;
using BitMiracle.LibTiff.Classic;
using UrbanScore.Crs;

namespace UrbanScore.Rendering;

/// <summary>
/// Writes one Cloud Optimized GeoTIFF from rows of tile scores, following the COG layout GDAL's COG driver writes (docs/outputs.md):
/// <list type="number">
/// <item>stream the full-resolution level into a spool of Deflate tiles as rows of tiles arrive (memory: the rows of
/// tiles one TIFF tile row spans, plus one tile buffer per core);</item>
/// <item>build each overview from 2×2 tiles of the level below;</item>
/// <item>assemble "reserve IFDs, then fill": all IFDs first, tile data smallest overview first, full resolution last,
/// copied raw (no recompression);</item>
/// <item>check every tile offset, then rename the temporary file over the target.</item>
/// </list>
/// Compression runs in parallel; LibTiff.NET is only touched from the calling thread.
/// </summary>
internal sealed class CogWriter
{
    /// <summary>
    /// Past this estimated size the file is BigTIFF: classic TIFF offsets are 32-bit and LibTiff.NET truncates them
    /// silently with the IFDs-first layout; 3.5 GiB leaves room for Deflate expansion.
    /// </summary>
    internal const long BigTiffThresholdBytes = 7L << 29;

    /// <summary>Largest TIFF tile count per level the in-memory spool index accepts (12 bytes each).</summary>
    private const long MaxTilesPerLevel = 64_000_000;

    private readonly GeoTiffGrid _grid;
    private readonly CogPixelFormat _format;
    private readonly string? _gdalMetadata;
    private readonly IReadOnlyList<CogLevel> _levels;
    private readonly int _parallelism;

    /// <summary>Plans the levels of a COG of the grid.</summary>
    /// <param name="grid">Raster size and georeferencing.</param>
    /// <param name="format">Pixel format (scores or heatmap).</param>
    /// <param name="gdalMetadata">GDAL_METADATA XML for IFD0, or null for none.</param>
    /// <param name="parallelism">Tiles compressed at once; 0 = processor count.</param>
    /// <param name="bigTiff">Forces BigTIFF (true) or classic (false); null decides from the estimated size.</param>
    public CogWriter(GeoTiffGrid grid, CogPixelFormat format, string? gdalMetadata, int parallelism = 0, bool? bigTiff = null)
    {
        _grid = grid;
        _format = format;
        _gdalMetadata = gdalMetadata;
        var full = new CogLevel(Width: grid.Width, Height: grid.Height);
        if ((long)full.TilesAcross * full.TilesDown > MaxTilesPerLevel)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"A GeoTIFF of {grid.Width}×{grid.Height} pixels needs more than {MaxTilesPerLevel} TIFF tiles; lower the pixels per tile or split the area."));
        }

        _levels = CogLevel.Plan(grid.Width, grid.Height);
        _parallelism = parallelism > 0 ? parallelism : Math.Max(2, Environment.ProcessorCount);
        IsBigTiff = bigTiff ?? (EstimateBytes(_levels) > BigTiffThresholdBytes);
    }

    /// <summary>The levels, full resolution first.</summary>
    public IReadOnlyList<CogLevel> Levels => _levels;

    /// <summary>Whether the file will be BigTIFF ("w8").</summary>
    public bool IsBigTiff { get; }

    /// <summary>Worst-case file size: every tile uncompressed plus zlib framing and index entries.</summary>
    internal static long EstimateBytes(IReadOnlyList<CogLevel> levels)
    {
        // zlib stored blocks add 5 bytes per 64 KiB plus 6 bytes of header and checksum; 64 bytes per tile covers
        // that and the 16-byte offset/bytecount entries. 64 KiB covers the IFDs and tag values.
        const long perTileOverhead = 64;
        const long headerBytes = 64 * 1024;
        var total = headerBytes;
        foreach (var level in levels)
        {
            total += (long)level.TileCount * (CogPixelFormat.TileBytes + perTileOverhead);
        }

        return total;
    }

    /// <summary>
    /// Writes the COG to <paramref name="path"/> through a temporary file in the same folder, renamed over the target
    /// only when complete; on failure or cancellation the temporary files are deleted and the target is untouched.
    /// </summary>
    public void Write(string path, GeoTiffRowReader readRow, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian)
        {
            // Tiles are copied as native memory into an "II" (little-endian) TIFF.
            throw new PlatformNotSupportedException("The GeoTIFF writer needs a little-endian processor.");
        }

        TiffLibrary.EnsureRegistered();
        var fullPath = Path.GetFullPath(path);
        var stamp = Guid.NewGuid().ToString("N");
        var temporary = fullPath + "." + stamp + ".tmp";
        var spoolPath = fullPath + "." + stamp + ".spool";
        try
        {
            using (var spool = new CogTileSpool(spoolPath, _levels))
            {
                var workspaces = CreateWorkspaces();
                WriteFullResolution(spool, readRow, workspaces, cancellationToken);
                for (var level = 1; level < _levels.Count; level++)
                {
                    WriteOverview(spool, level, workspaces, cancellationToken);
                }

                Assemble(temporary, spool, cancellationToken);
            }

            Verify(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temporary);
            AtomicFile.TryDelete(spoolPath);
            throw;
        }
    }

    private void WriteFullResolution(CogTileSpool spool, GeoTiffRowReader readRow, TileWorkspace[] workspaces, CancellationToken cancellationToken)
    {
        var level = _levels[0];
        var window = new CogRowWindow(_grid, _format, readRow);
        for (var tileRow = 0; tileRow < level.TilesDown; tileRow++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            window.Advance(tileRow);
            RunBatches(spool, 0, tileRow, level.TilesAcross, workspaces, (column, workspace) =>
                window.FillTile(tileRow, column, workspace.Tile));
        }
    }

    private void WriteOverview(CogTileSpool spool, int levelIndex, TileWorkspace[] workspaces, CancellationToken cancellationToken)
    {
        var level = _levels[levelIndex];
        var source = _levels[levelIndex - 1];
        for (var tileRow = 0; tileRow < level.TilesDown; tileRow++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = tileRow;
            RunBatches(spool, levelIndex, tileRow, level.TilesAcross, workspaces, (column, workspace) =>
            {
                var tile = workspace.Tile.AsSpan();
                tile.Fill(_format.NoDataPixel);
                for (var quadrant = 0; quadrant < 4; quadrant++)
                {
                    var sourceCol = (2 * column) + (quadrant & 1);
                    var sourceRow = (2 * row) + (quadrant >> 1);
                    if (sourceCol >= source.TilesAcross || sourceRow >= source.TilesDown)
                    {
                        continue;
                    }

                    var length = spool.Read(levelIndex - 1, (sourceRow * source.TilesAcross) + sourceCol, ref workspace.ReadBuffer);
                    CogTileCodec.Decompress(workspace.ReadBuffer, length, workspace.Source);
                    if (_format.HorizontalPredictor)
                    {
                        CogTileCodec.DecodeHorizontalPredictor(workspace.Source);
                    }

                    var validWidth = Math.Min(CogPixelFormat.TileSize, source.Width - (sourceCol * CogPixelFormat.TileSize));
                    var validHeight = Math.Min(CogPixelFormat.TileSize, source.Height - (sourceRow * CogPixelFormat.TileSize));
                    _format.Downsample(
                        workspace.Source,
                        validWidth,
                        validHeight,
                        tile,
                        (quadrant & 1) * (CogPixelFormat.TileSize / 2),
                        (quadrant >> 1) * (CogPixelFormat.TileSize / 2));
                }
            });
        }
    }

    /// <summary>
    /// Renders and compresses the tiles of one TIFF tile row in parallel batches (one workspace per tile of a batch),
    /// then appends them to the spool in column order from this thread.
    /// </summary>
    private void RunBatches(CogTileSpool spool, int levelIndex, int tileRow, int tilesAcross, TileWorkspace[] workspaces, Action<int, TileWorkspace> render)
    {
        for (var first = 0; first < tilesAcross; first += workspaces.Length)
        {
            var count = Math.Min(workspaces.Length, tilesAcross - first);
            var start = first;
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i =>
            {
                var workspace = workspaces[i];
                render(start + i, workspace);
                if (_format.HorizontalPredictor)
                {
                    CogTileCodec.EncodeHorizontalPredictor(workspace.Tile);
                }

                CogTileCodec.Compress(workspace.Tile, workspace.Compressed);
            });

            for (var i = 0; i < count; i++)
            {
                var compressed = workspaces[i].Compressed;
                spool.Append(levelIndex, (tileRow * tilesAcross) + start + i, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
            }
        }
    }

    private TileWorkspace[] CreateWorkspaces()
    {
        var workspaces = new TileWorkspace[_parallelism];
        for (var i = 0; i < workspaces.Length; i++)
        {
            workspaces[i] = new TileWorkspace();
        }

        return workspaces;
    }

    private void Assemble(string temporary, CogTileSpool spool, CancellationToken cancellationToken)
    {
        // Phase 1 (reserve): every IFD, largest level first, with zeroed TileOffsets/TileByteCounts and no pixel data.
        // SetupStrips() before WriteDirectory() is what makes LibTiff.NET write those arrays (LibTiff.NET's behaviour, checked by the GDAL tests).
        using (var tiff = Tiff.Open(temporary, IsBigTiff ? "w8" : "w") ?? throw new IOException("LibTiff.NET could not create " + temporary + "."))
        {
            for (var level = 0; level < _levels.Count; level++)
            {
                SetLevelTags(tiff, level);
                tiff.SetupStrips();
                tiff.WriteDirectory();
            }
        }

        // Phase 2 (fill): tile data smallest overview first, full resolution last; CheckpointDirectory rewrites each
        // IFD in place because its size does not change.
        using (var tiff = Tiff.Open(temporary, "a") ?? throw new IOException("LibTiff.NET could not reopen " + temporary + "."))
        {
            var buffer = new byte[CogPixelFormat.TileBytes];
            for (var level = _levels.Count - 1; level >= 0; level--)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!tiff.SetDirectory((short)level))
                {
                    throw new IOException("LibTiff.NET could not select IFD " + level.ToString(CultureInfo.InvariantCulture) + " of " + temporary + ".");
                }

                var tileCount = _levels[level].TileCount;
                for (var tile = 0; tile < tileCount; tile++)
                {
                    var length = spool.Read(level, tile, ref buffer);
                    if (tiff.WriteRawTile(tile, buffer, 0, length) != length)
                    {
                        throw new IOException("LibTiff.NET could not write a tile of " + temporary + ".");
                    }
                }

                tiff.CheckpointDirectory();
            }
        }
    }

    private void SetLevelTags(Tiff tiff, int level)
    {
        var size = _levels[level];
        if (level > 0)
        {
            tiff.SetField(TiffTag.SUBFILETYPE, FileType.REDUCEDIMAGE);
        }

        tiff.SetField(TiffTag.IMAGEWIDTH, size.Width);
        tiff.SetField(TiffTag.IMAGELENGTH, size.Height);
        tiff.SetField(TiffTag.TILEWIDTH, CogPixelFormat.TileSize);
        tiff.SetField(TiffTag.TILELENGTH, CogPixelFormat.TileSize);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.COMPRESSION, Compression.ADOBE_DEFLATE);
        _format.SetSampleTags(tiff);
        if (level > 0)
        {
            return;
        }

        // Georeferencing on IFD0 only; readers derive the overviews' from the size ratio (OGC 21-026 clause 7).
        tiff.SetField(TiffTag.SOFTWARE, "UrbanScore");
        tiff.SetField(TiffTag.GEOTIFF_MODELPIXELSCALETAG, 3, new[] { _grid.PixelSizeX, _grid.PixelSizeY, 0.0 });
        tiff.SetField(TiffTag.GEOTIFF_MODELTIEPOINTTAG, 6, new[] { 0.0, 0.0, 0.0, _grid.Bounds.MinX, _grid.Bounds.MaxY, 0.0 });
        var keys = GeoKeys(_grid.Epsg);
        tiff.SetField(TiffTag.GEOTIFF_GEOKEYDIRECTORYTAG, keys.Length, keys);
        if (_gdalMetadata is not null)
        {
            tiff.SetField(TiffLibrary.GdalMetadata, _gdalMetadata);
        }
    }

    /// <summary>
    /// The GeoKeyDirectory (OGC 19-008r4, GeoTIFF 1.1 header 1,1,1): model type, PixelIsArea, and the EPSG code as
    /// ProjectedCRSGeoKey (3072) or, for a geographic CRS, GeodeticCRSGeoKey (2048). An EPSG code alone is enough
    /// for a registered CRS (OGC 21-026 clause 7).
    /// </summary>
    internal static short[] GeoKeys(int epsg)
    {
        if (epsg is <= 0 or > ushort.MaxValue)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"EPSG:{epsg} cannot be written as a GeoTIFF key (1..65535); use a tile matrix set with a registered EPSG code."));
        }

        const short modelTypeProjected = 1;
        const short modelTypeGeographic = 2;
        const short rasterPixelIsArea = 1;
        const short gtModelTypeGeoKey = 1024;
        const short gtRasterTypeGeoKey = 1025;
        const short geodeticCrsGeoKey = 2048;
        const short projectedCrsGeoKey = 3072;
        var geographic = CrsRegistry.TryGet(epsg, out var system) && system is ProjNet.CoordinateSystems.GeographicCoordinateSystem;
        return
        [
            1, 1, 1, 3,
            gtModelTypeGeoKey, 0, 1, geographic ? modelTypeGeographic : modelTypeProjected,
            gtRasterTypeGeoKey, 0, 1, rasterPixelIsArea,
            geographic ? geodeticCrsGeoKey : projectedCrsGeoKey, 0, 1, unchecked((short)(ushort)epsg),
        ];
    }

    /// <summary>
    /// Re-reads the assembled file and checks that every tile of every level has an offset inside the file, and that a
    /// classic TIFF stayed under 4 GiB: a guard we need, since no validator catches a
    /// silently truncated offset.
    /// </summary>
    private void Verify(string temporary)
    {
        var fileLength = new FileInfo(temporary).Length;
        if (!IsBigTiff && fileLength > uint.MaxValue)
        {
            throw new IOException("The classic TIFF " + temporary + " passed 4 GiB; its tile offsets would be truncated.");
        }

        using var tiff = Tiff.Open(temporary, "r") ?? throw new IOException("LibTiff.NET could not reopen " + temporary + ".");
        for (var level = 0; level < _levels.Count; level++)
        {
            if (!tiff.SetDirectory((short)level))
            {
                throw new IOException("The assembled COG lacks IFD " + level.ToString(CultureInfo.InvariantCulture) + ".");
            }

            var offsets = tiff.GetField(TiffTag.TILEOFFSETS)[0].TolongArray();
            var counts = tiff.GetField(TiffTag.TILEBYTECOUNTS)[0].TolongArray();
            var expected = _levels[level].TileCount;
            if (offsets.Length != expected || counts.Length != expected)
            {
                throw new IOException("The assembled COG has the wrong tile count in IFD " + level.ToString(CultureInfo.InvariantCulture) + ".");
            }

            for (var tile = 0; tile < expected; tile++)
            {
                if (offsets[tile] <= 0 || counts[tile] <= 0 || offsets[tile] + counts[tile] > fileLength)
                {
                    throw new IOException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Tile {tile} of IFD {level} in the assembled COG has offset {offsets[tile]} and size {counts[tile]}, outside the file."));
                }
            }
        }

        if (tiff.ReadDirectory())
        {
            throw new IOException("The assembled COG has more IFDs than planned.");
        }
    }

    /// <summary>Buffers of one parallel tile job: the tile pixels, a decoded source tile, compressed output, a read buffer.</summary>
    private sealed class TileWorkspace
    {
        public uint[] Tile { get; } = new uint[CogPixelFormat.TilePixels];

        public uint[] Source => field ??= new uint[CogPixelFormat.TilePixels];

        public MemoryStream Compressed { get; } = new();

        // A field, not a property: passed by ref to CogTileSpool.Read, which grows it.
        public byte[] ReadBuffer = new byte[CogPixelFormat.TileBytes];
    }
}
