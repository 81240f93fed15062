using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace UrbanScore.Tools.Benchmarking;

/// <summary>Process CPU time, resident memory and machine facts, from /proc on Linux (and .NET elsewhere).</summary>
internal static partial class ProcessMeter
{
    /// <summary>clock_gettime's clock of the calling process's CPU time, every thread (Linux &lt;time.h&gt;).</summary>
    private const int ClockProcessCpuTime = 2;

    /// <summary>
    /// The process's CPU time, to the nanosecond on Linux (<c>clock_gettime</c>): .NET's
    /// <see cref="Process.TotalProcessorTime"/> counts 10 ms clock ticks there, too coarse for a stage of a second
    /// split by thread (<see cref="ThreadTimes"/> counts nanoseconds).
    /// </summary>
    public static TimeSpan CpuTime()
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess && ClockGetTime(ClockProcessCpuTime, out var now) == 0)
        {
            return TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / 100));
        }

        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// Every live thread of this process with its name, the CPU time it has had in nanoseconds, and the times it was
    /// put on a CPU (each a wake-up or a return after preemption), from /proc/self/task/*/schedstat (Linux; empty
    /// elsewhere). A thread that ends between two readings drops out, so a caller compares readings by thread id.
    /// </summary>
    public static Dictionary<int, ThreadReading> ThreadTimes()
    {
        var threads = new Dictionary<int, ThreadReading>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return threads;
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                // schedstat: time on the CPU (ns), time waiting for one (ns), time slices.
                var fields = File.ReadAllText(Path.Combine(folder, "schedstat")).TrimEnd().Split(' ');
                if (fields.Length >= 3
                    && int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ns)
                    && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var slices))
                {
                    threads[id] = new ThreadReading(File.ReadAllText(Path.Combine(folder, "comm")).TrimEnd(), ns, slices);
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }

        return threads;
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

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

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

    /// <summary>struct timespec on 64-bit Linux: two 64-bit integers (read only in a 64-bit process).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
