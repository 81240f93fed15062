using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace UrbanScore.Cli;

/// <summary>
/// What <c>urbanscore --version</c> prints: the product version, the commit it was built from (the SDK embeds
/// <c>git rev-parse HEAD</c> as SourceRevisionId into the informational version when the build runs in a git
/// checkout), the ONNX Runtime and SkiaSharp versions, and the build flavour (CPU, or GPU when built with
/// <c>-p:OrtFlavor=Gpu</c>, which defines <c>ORT_GPU</c>).
/// </summary>
internal static class VersionInfo
{
#if ORT_GPU
    public const string Flavour = "GPU";
#else
    public const string Flavour = "CPU";
#endif

    /// <summary>The commit hash, or "unknown" when the build did not run in a git checkout.</summary>
    public static string Commit
    {
        get
        {
            var informational = typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty;
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus >= 0 && plus < informational.Length - 1 ? informational[(plus + 1)..] : "unknown";
        }
    }

    /// <summary>The lines printed by <c>--version</c>; the first is <c>urbanscore VERSION</c>.</summary>
    public static string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"urbanscore {ProductInfo.Version}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"commit:      {Commit}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"flavour:     {Flavour}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"onnxruntime: {OnnxRuntimeVersion()}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"skiasharp:   {SkiaVersion()}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"runtime:     {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})").AppendLine();
        return text.ToString();
    }

    private static string OnnxRuntimeVersion()
    {
        var managed = AssemblyVersion(typeof(OrtEnv).Assembly);
        try
        {
            // The native library's own version: what actually runs (a GPU build may carry another native package).
            return OrtEnv.Instance().GetVersionString() + " (native), managed " + managed;
        }
#pragma warning disable CA1031 // --version must print even when the native library cannot load; say so instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return managed + " (native library not loadable: " + ex.GetType().Name + ")";
        }
    }

    private static string SkiaVersion()
    {
        var managed = AssemblyVersion(typeof(SKBitmap).Assembly);
        try
        {
            return managed + " (native milestone " + SkiaSharpVersion.Native.ToString(2) + ")";
        }
#pragma warning disable CA1031 // as above: a missing native libSkiaSharp must not break --version.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return managed + " (native library not loadable: " + ex.GetType().Name + ")";
        }
    }

    private static string AssemblyVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
