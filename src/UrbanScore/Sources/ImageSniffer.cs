namespace UrbanScore.Sources;

/// <summary>Recognises image formats by their magic bytes, whatever Content-Type a server sent.</summary>
public static class ImageSniffer
{
    internal enum Kind
    {
        NotImage,
        Jpeg,
        Png,
        Webp,
        Gif,
        Tiff,
    }

    /// <summary>The file extension of the image in <paramref name="data"/> (".jpg", ".png", ".webp", ".gif", ".tif"), or null when it is none of those.</summary>
    /// <param name="data">The bytes of a file or a tile response.</param>
    public static string? FileExtension(ReadOnlySpan<byte> data) => Sniff(data) switch
    {
        Kind.Jpeg => ".jpg",
        Kind.Png => ".png",
        Kind.Webp => ".webp",
        Kind.Gif => ".gif",
        Kind.Tiff => ".tif",
        _ => null,
    };

    internal static Kind Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return Kind.Jpeg;
        }

        if (data.Length >= 8 && data[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return Kind.Png;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return Kind.Webp;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual("GIF8"u8))
        {
            return Kind.Gif;
        }

        if (data.Length >= 4 && (data[..4].SequenceEqual("II*\0"u8) || data[..4].SequenceEqual("MM\0*"u8)))
        {
            return Kind.Tiff;
        }

        return Kind.NotImage;
    }
}
