namespace UrbanScore.Inference;

/// <summary>Order of the three colour planes in the model's NCHW input.</summary>
public enum ChannelOrder
{
    /// <summary>Blue, green, red (Custom Vision default, <c>Image.BitmapPixelFormat=Bgr8</c>).</summary>
    Bgr,

    /// <summary>Red, green, blue (<c>Image.BitmapPixelFormat=Rgb8</c>).</summary>
    Rgb,
}
