namespace UrbanScore.Imaging;

/// <summary>What decoding a tile gave.</summary>
public enum DecodeStatus
{
    /// <summary>An image was decoded and written into the tensor.</summary>
    Image,

    /// <summary>A fully transparent or single-colour tile: no imagery there (scored as empty).</summary>
    Blank,

    /// <summary>Not decodable (corrupt, truncated, unsupported, or too large).</summary>
    Invalid,
}
