namespace UrbanScore.Tools.Benchmarking;

/// <summary>One thread's scheduler counters at one moment (<see cref="ProcessMeter.ThreadTimes"/>).</summary>
/// <param name="Name">The thread's name (15 characters at most on Linux).</param>
/// <param name="CpuNs">CPU time so far, in nanoseconds.</param>
/// <param name="Slices">Times the thread was put on a CPU so far: each wake-up, and each return after preemption.</param>
internal readonly record struct ThreadReading(string Name, long CpuNs, long Slices);
