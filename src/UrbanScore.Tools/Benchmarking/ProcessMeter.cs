using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>Process CPU time, resident memory and machine facts, from /proc on Linux (and .NET elsewhere).</summary>
internal static class ProcessMeter
{
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Current resident set size in bytes (VmRSS).</summary>
    public static long ResidentBytes() => StatusKiB("VmRSS:") is { } kib ? kib * 1024 : Environment.WorkingSet;

    /// <summary>Peak resident set size in bytes since start or the last <see cref="ResetPeak"/> (VmHWM).</summary>
    public static long PeakResidentBytes()
    {
        if (StatusKiB("VmHWM:") is { } kib)
        {
            return kib * 1024;
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Resets the kernel's peak RSS (Linux ≥ 4.0: writing 5 to /proc/self/clear_refs); false when unsupported.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    public static BenchMachine Describe()
    {
        var processor = "unknown";
        double memory = 0;
        double? load = null;
        if (File.Exists("/proc/cpuinfo"))
        {
            processor = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? processor;
        }

        if (File.Exists("/proc/meminfo"))
        {
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                memory = Math.Round(kib / 1024.0 / 1024.0, 1);
            }
        }

        if (File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            load = value;
        }

        var ort = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        return new BenchMachine(Environment.ProcessorCount, processor, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, ort, load);
    }

    private static long? StatusKiB(string key)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return kib;
            }
        }

        return null;
    }
}
