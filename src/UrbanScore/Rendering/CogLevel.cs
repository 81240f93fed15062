namespace UrbanScore.Rendering;

/// <summary>Size of one COG level (full resolution or overview) in pixels, and its grid of 256×256 TIFF tiles.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal readonly record struct CogLevel(int Width, int Height)
{
    /// <summary>TIFF tile columns.</summary>
    public int TilesAcross => (int)(((long)Width + CogPixelFormat.TileSize - 1) / CogPixelFormat.TileSize);

    /// <summary>TIFF tile rows.</summary>
    public int TilesDown => (int)(((long)Height + CogPixelFormat.TileSize - 1) / CogPixelFormat.TileSize);

    /// <summary>TIFF tiles in the level.</summary>
    public int TileCount => checked(TilesAcross * TilesDown);

    /// <summary>
    /// Full resolution first, then each overview halved (rounding up, as GDAL does) until the level fits one TIFF tile
    /// (COG: the smallest overview is one tile).
    /// </summary>
    public static IReadOnlyList<CogLevel> Plan(int width, int height)
    {
        var levels = new List<CogLevel> { new(Width: width, Height: height) };
        while (width > CogPixelFormat.TileSize || height > CogPixelFormat.TileSize)
        {
            width = (width + 1) / 2;
            height = (height + 1) / 2;
            levels.Add(new CogLevel(Width: width, Height: height));
        }

        return levels;
    }
}
