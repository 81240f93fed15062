namespace UrbanScore.Sources;

/// <summary>What fetching a tile gave, before anybody looked at the image.</summary>
public enum FetchStatus
{
    /// <summary>Encoded image bytes arrived (from the server or the disk cache).</summary>
    Image,

    /// <summary>The server has no tile there (404/204), or the tile lies outside what the layer offers.</summary>
    Empty,

    /// <summary>No tile after every retry; the reason says why.</summary>
    Failed,
}
