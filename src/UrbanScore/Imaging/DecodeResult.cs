namespace UrbanScore.Imaging;

/// <summary>The outcome of <see cref="TilePreprocessor.Fill"/>.</summary>
/// <param name="Status">Image, blank or invalid.</param>
/// <param name="Reason">Why it is blank or invalid, or null.</param>
public readonly record struct DecodeResult(DecodeStatus Status, string? Reason)
{
    /// <summary>A decoded image.</summary>
    public static DecodeResult Image { get; } = new(DecodeStatus.Image, null);
}
