using System.Diagnostics;

namespace UrbanScore.Tests.TestSupport;

/// <summary>Runs a real external program (gdalinfo, python3, mapproxy-util) and skips when it is not installed.</summary>
internal static class ExternalTool
{
    /// <summary>Full path of a program on PATH, or skips the test naming the Debian package that provides it.</summary>
    public static string Require(string program, string debianPackage)
    {
        var path = Find(program);
        if (path is null)
        {
            Assert.Skip($"{program} is not installed (apt-get install {debianPackage}; .ci/run installs it).");
        }

        return path;
    }

    /// <summary>Full path of a program on PATH, or null.</summary>
    public static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a program to completion and returns its exit code and output; fails the test after the timeout.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish in time");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
