using System.Text.Json;

namespace UrbanScore.Storage;

/// <summary>
/// <c>run.json</c>: what was run, on what, and what came out — enough to reproduce a run or compare two. Secrets
/// are redacted before they get here.
/// </summary>
public sealed class RunManifest
{
    /// <summary>File name inside an output folder.</summary>
    public const string FileName = "run.json";

    /// <summary>UrbanScore version.</summary>
    public string Version { get; init; } = ProductInfo.Version;

    /// <summary>The command line, redacted.</summary>
    public string? Command { get; init; }

    /// <summary>The tile source, redacted.</summary>
    public required string Source { get; init; }

    /// <summary>Tile matrix set identifier and CRS.</summary>
    public required string TileMatrixSet { get; init; }

    /// <summary>EPSG code of the tiles.</summary>
    public required int Epsg { get; init; }

    /// <summary>Model file path as given.</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 of the model file.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Model labels.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Label(s) scored.</summary>
    public required string PositiveLabel { get; init; }

    /// <summary>Matrix level scored.</summary>
    public required int Zoom { get; init; }

    /// <summary>The area as described by the user (bbox, GeoJSON file, country).</summary>
    public string? Area { get; init; }

    /// <summary>The area's bounds: minLon, minLat, maxLon, maxLat.</summary>
    public required double[] Bbox { get; init; }

    /// <summary>Tile counts.</summary>
    public required RunCounts Tiles { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Wall time of the run in seconds (scoring and writing).</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Tiles given an outcome by this invocation, per second of pipeline time.</summary>
    public required double TilesPerSecond { get; init; }

    /// <summary>Startup, pipeline and products time; null in manifests written before it existed.</summary>
    public RunTimings? Timings { get; init; }

    /// <summary>Peak resident memory of the process so far (Linux VmHWM), in MiB: flat in the number of tiles.</summary>
    public double? PeakRssMiB { get; init; }

    /// <summary>Output files relative to the output folder.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>Writes the manifest atomically.</summary>
    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(this, ManifestJson.Default.RunManifest), cancellationToken);

    /// <summary>Reads a manifest.</summary>
    public static RunManifest? Read(string path) => JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.RunManifest);
}
