namespace UrbanScore.Inference;

/// <summary>
/// How pixels must be laid out for a model: NCHW float planes of <see cref="Width"/> × <see cref="Height"/>, in
/// <see cref="ChannelOrder"/>, each 0–255 byte value multiplied by <see cref="Scale"/> (1 for 0–255 models, 1/255 for
/// 0–1 models), after a centre square crop and a bilinear resize (or a centre window, see <see cref="Fit"/>).
/// </summary>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="ChannelOrder">Plane order.</param>
/// <param name="Scale">Multiplier applied to 0–255 values.</param>
public sealed record ModelInputSpec(int Width, int Height, ChannelOrder ChannelOrder, float Scale)
{
    /// <summary>Floats per image: 3 × <see cref="Width"/> × <see cref="Height"/>.</summary>
    public int ValuesPerImage => 3 * Width * Height;

    /// <summary>How a tile is brought to <see cref="Width"/> × <see cref="Height"/>; default <see cref="InputFit.Resize"/>.</summary>
    public InputFit Fit { get; init; } = InputFit.Resize;
}
