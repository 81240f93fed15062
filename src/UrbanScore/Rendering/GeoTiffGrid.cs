using System.Globalization;
using UrbanScore.Tiling;

namespace UrbanScore.Rendering;

/// <summary>
/// The raster a GeoTIFF mosaic covers: a rectangle of tiles of one tile matrix, each drawn as
/// <see cref="PixelsPerTile"/> × <see cref="PixelsPerTile"/> pixels. The georeferencing is exactly the union of the
/// tile bounds, computed from integer tile indices (never accumulated floats), in the matrix set's CRS.
/// </summary>
public sealed class GeoTiffGrid
{
    /// <summary>Largest accepted <see cref="PixelsPerTile"/> (the source tiles' own 256 px).</summary>
    public const int MaxPixelsPerTile = 256;

    /// <summary>Creates the grid and validates it.</summary>
    /// <param name="matrixSet">The tile matrix set; its <see cref="TileMatrixSet.Epsg"/> is written as the CRS.</param>
    /// <param name="range">The tiles covered; <see cref="TileRange.Zoom"/> is the matrix level.</param>
    /// <param name="pixelsPerTile">Pixels per tile along each axis, 1..256.</param>
    /// <exception cref="UrbanScoreException">The level, the range or the pixel count is out of bounds.</exception>
    public GeoTiffGrid(TileMatrixSet matrixSet, TileRange range, int pixelsPerTile)
    {
        ArgumentNullException.ThrowIfNull(matrixSet);
        if (range.Zoom < 0 || range.Zoom >= matrixSet.Matrices.Count)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"Zoom {range.Zoom} is not a level of tile matrix set {matrixSet.Identifier} (0..{matrixSet.Matrices.Count - 1}); pick a level the set has."));
        }

        var matrix = matrixSet[range.Zoom];
        if (range.MinCol < 0 || range.MinRow < 0 || range.MaxCol < range.MinCol || range.MaxRow < range.MinRow
            || range.MaxCol >= matrix.MatrixWidth || range.MaxRow >= matrix.MatrixHeight)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"Tile range cols {range.MinCol}..{range.MaxCol}, rows {range.MinRow}..{range.MaxRow} does not fit level {range.Zoom} ({matrix.MatrixWidth}×{matrix.MatrixHeight} tiles); pass a non-empty range inside the matrix."));
        }

        if (pixelsPerTile is < 1 or > MaxPixelsPerTile)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"Pixels per tile {pixelsPerTile} is out of range; use 1..{MaxPixelsPerTile}."));
        }

        var width = (long)range.Width * pixelsPerTile;
        var height = (long)range.Height * pixelsPerTile;
        if (width > int.MaxValue || height > int.MaxValue)
        {
            throw new UrbanScoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"A GeoTIFF of {width}×{height} pixels is too large; lower the pixels per tile or split the area."));
        }

        MatrixSet = matrixSet;
        Range = range;
        PixelsPerTile = pixelsPerTile;
        Width = (int)width;
        Height = (int)height;

        // From integer indices only: the north-west tile gives the origin and the south-east tile the far corner,
        // so every corner equals the matrix's own TileBounds bit for bit.
        var northWest = matrix.TileBounds(range.MinCol, range.MinRow);
        var southEast = matrix.TileBounds(range.MaxCol, range.MaxRow);
        Bounds = new BoundingBox(MinX: northWest.MinX, MinY: southEast.MinY, MaxX: southEast.MaxX, MaxY: northWest.MaxY);
        PixelSizeX = matrix.TileSpanX / pixelsPerTile;
        PixelSizeY = matrix.TileSpanY / pixelsPerTile;
    }

    /// <summary>The tile matrix set (CRS and levels).</summary>
    public TileMatrixSet MatrixSet { get; }

    /// <summary>The tiles covered, inclusive; one pixel block per tile.</summary>
    public TileRange Range { get; }

    /// <summary>Pixels per tile along each axis.</summary>
    public int PixelsPerTile { get; }

    /// <summary>EPSG code of the CRS the raster is georeferenced in.</summary>
    public int Epsg => MatrixSet.Epsg;

    /// <summary>Raster width in pixels (tile columns × pixels per tile).</summary>
    public int Width { get; }

    /// <summary>Raster height in pixels (tile rows × pixels per tile).</summary>
    public int Height { get; }

    /// <summary>Outer edges of the raster in CRS units (x/y order): the union of the covered tiles' bounds.</summary>
    public BoundingBox Bounds { get; }

    /// <summary>Pixel width in CRS units (the tile width in CRS units / pixels per tile).</summary>
    public double PixelSizeX { get; }

    /// <summary>Pixel height in CRS units, positive (rows go south).</summary>
    public double PixelSizeY { get; }
}
