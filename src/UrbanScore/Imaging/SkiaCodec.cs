using System.Runtime.InteropServices;

namespace UrbanScore.Imaging;

/// <summary>
/// The few calls of libSkiaSharp's C API that decode one encoded image into caller-owned pixels, used directly so a
/// tile costs no managed allocation: SkiaSharp's <c>SKData</c> and <c>SKCodec</c> wrappers are finalizable objects,
/// each registered in a process-wide handle table under a lock that every worker would take per tile. The native
/// library is the one SkiaSharp loads; the struct and enum layouts are those of its <c>sk_types.h</c> (checked by
/// TilePreprocessorTests against SkiaSharp's own decode).
/// </summary>
internal static partial class SkiaCodec
{
    private const string Library = "libSkiaSharp";

    /// <summary><c>sk_colortype_t</c> RGBA_8888_SK_COLORTYPE.</summary>
    public const int Rgba8888 = 4;

    /// <summary><c>sk_alphatype_t</c> UNPREMUL_SK_ALPHATYPE.</summary>
    public const int Unpremul = 3;

    /// <summary><c>sk_codec_result_t</c> SUCCESS_SK_CODEC_RESULT.</summary>
    public const int Success = 0;

    /// <summary><c>sk_codec_result_t</c> INCOMPLETE_INPUT_SK_CODEC_RESULT.</summary>
    public const int IncompleteInput = 1;

    /// <summary><c>sk_imageinfo_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageInfo
    {
        public IntPtr ColorSpace;
        public int Width;
        public int Height;
        public int ColorType;
        public int AlphaType;
    }

    /// <summary><c>sk_isize_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Size
    {
        public int Width;
        public int Height;
    }

    /// <summary>Wraps memory the caller keeps alive and unchanged until <see cref="DataUnref"/> (no copy, no release proc).</summary>
    [LibraryImport(Library, EntryPoint = "sk_data_new_with_proc")]
    public static unsafe partial IntPtr DataWrap(byte* pointer, nuint length, IntPtr releaseProc, IntPtr context);

    [LibraryImport(Library, EntryPoint = "sk_data_unref")]
    public static partial void DataUnref(IntPtr data);

    /// <summary>A codec for the data (it takes its own reference), or zero when the format is unknown or the header corrupt.</summary>
    [LibraryImport(Library, EntryPoint = "sk_codec_new_from_data")]
    public static partial IntPtr CodecNew(IntPtr data);

    [LibraryImport(Library, EntryPoint = "sk_codec_destroy")]
    public static partial void CodecDestroy(IntPtr codec);

    /// <summary>The encoded image's info; the colour space it returns is a new reference (release it).</summary>
    [LibraryImport(Library, EntryPoint = "sk_codec_get_info")]
    public static partial void CodecInfo(IntPtr codec, out ImageInfo info);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_scaled_dimensions")]
    public static partial void CodecScaledDimensions(IntPtr codec, float desiredScale, out Size size);

    /// <summary>Decodes into <paramref name="pixels"/> with the codec's default options (null).</summary>
    [LibraryImport(Library, EntryPoint = "sk_codec_get_pixels")]
    public static partial int CodecGetPixels(IntPtr codec, in ImageInfo info, IntPtr pixels, nuint rowBytes, IntPtr options);

    [LibraryImport(Library, EntryPoint = "sk_colorspace_unref")]
    public static partial void ColorSpaceUnref(IntPtr colorSpace);
}
