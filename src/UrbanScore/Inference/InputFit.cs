namespace UrbanScore.Inference;

/// <summary>How a decoded tile is brought to the model's input size (after the centre square crop of a non-square tile).</summary>
public enum InputFit
{
    /// <summary>Bilinear resize of the whole square to the input size: Custom Vision's own preprocessing for
    /// square tiles, and the default.</summary>
    Resize,

    /// <summary>
    /// The centred input-sized window, without resizing, when the tile (after any reduced-scale decode) is at least
    /// that large; else as <see cref="Resize"/>. For models trained on such crops (the 2018 Custom Vision tutorial's
    /// "resize to 256, centre-crop 227"): a 256 px tile and a 224 px model need no resampling at all.
    /// </summary>
    CentreCrop,
}
