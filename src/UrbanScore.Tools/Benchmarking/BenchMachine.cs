namespace UrbanScore.Tools.Benchmarking;

/// <summary>The machine a bench ran on, so figures are never quoted without it.</summary>
/// <param name="Cores">Logical processors available to the process.</param>
/// <param name="Processor">CPU model name (Linux: /proc/cpuinfo), or "unknown".</param>
/// <param name="MemoryGiB">Physical memory in GiB (Linux: /proc/meminfo), or 0 when unknown.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="Runtime">.NET runtime description.</param>
/// <param name="OnnxRuntime">ONNX Runtime managed package version.</param>
/// <param name="LoadAverage">1-minute load average at the start (Linux), or null: above <paramref name="Cores"/> the
/// machine was shared and absolute figures are pessimistic.</param>
public sealed record BenchMachine(int Cores, string Processor, double MemoryGiB, string Os, string Runtime, string OnnxRuntime, double? LoadAverage);
