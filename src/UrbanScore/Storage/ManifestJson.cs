using System.Text.Json.Serialization;

namespace UrbanScore.Storage;

/// <summary>
/// run.json's serializer, generated at build time: the reflection-based serializer costs 30–40 ms of a run's product
/// step building its metadata on first use (benchmarks/results/2026-11-30-fixed-costs.md); generated code is
/// precompiled with the rest of the assembly.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
