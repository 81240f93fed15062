using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>
/// The last <c>bench</c> result on this machine (end-to-end tiles/s), kept so <c>plan</c> can estimate a run from a
/// rate measured here instead of a guess. Stored as <c>last-bench.json</c> in the user's local application data
/// (<c>URBANSCORE_HOME</c> overrides the folder).
/// </summary>
public static partial class BenchHistory
{
    private const string FileName = "last-bench.json";

    /// <summary>Records <paramref name="tilesPerSecond"/> as the last result; a folder that cannot be written is skipped (the result is printed anyway).</summary>
    public static void Save(double tilesPerSecond, string model)
    {
        try
        {
            var folder = Folder();
            Directory.CreateDirectory(folder);
            var json = JsonSerializer.Serialize(new Entry(tilesPerSecond, DateTimeOffset.UtcNow, Path.GetFileName(model)), EntryJson.Default.Entry);
            File.WriteAllText(Path.Combine(folder, FileName), json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a read-only home: plan falls back to a calibration
        }
    }

    /// <summary>The last result, or null when none was recorded (or the file is unreadable).</summary>
    public static (double TilesPerSecond, DateTimeOffset MeasuredUtc, string Model)? Last()
    {
        try
        {
            var path = Path.Combine(Folder(), FileName);
            if (!File.Exists(path))
            {
                return null;
            }

            var entry = JsonSerializer.Deserialize(File.ReadAllText(path), EntryJson.Default.Entry);
            return entry is { TilesPerSecond: > 0 } e ? (e.TilesPerSecond, e.MeasuredUtc, e.Model) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>"154 tiles/s, the end-to-end rate of the last bench (model.onnx, 2026-11-30 07:12 UTC)".</summary>
    public static string Describe((double TilesPerSecond, DateTimeOffset MeasuredUtc, string Model) last) => string.Create(CultureInfo.InvariantCulture,
        $"the end-to-end rate of the last 'bench' here ({last.Model}, {last.MeasuredUtc:yyyy-MM-dd HH:mm} UTC)");

    private static string Folder() => Environment.GetEnvironmentVariable("URBANSCORE_HOME") is { Length: > 0 } home
        ? home
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "urbanscore");

    internal sealed record Entry(double TilesPerSecond, DateTimeOffset MeasuredUtc, string Model);

    /// <summary>Generated (de)serializer of <see cref="Entry"/>: no reflection, so it works in a native AOT publish too.</summary>
    [JsonSerializable(typeof(Entry))]
    internal sealed partial class EntryJson : JsonSerializerContext;
}
