using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Integrations;

/// <summary>
/// Runs integrations/qgis/tests/qgis_harness.py in Debian's headless QGIS (python3 + qgis.core, offscreen) against
/// the built CLI, and qgis_process.bin the way a user scripts Processing. Owns a temporary folder (a HOME so QGIS'
/// settings stay out of the user's profile, the CLI wrapper script); dispose it to delete the folder. Linux only, as
/// Debian's QGIS is.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class QgisHarness : IDisposable
{
    private static readonly Lazy<string?> s_python = new(FindPythonWithQgis);

    private QgisHarness(string python, string folder)
    {
        Python = python;
        Folder = folder;
        Directory.CreateDirectory(Path.Combine(folder, "home"));
        Cli = Path.Combine(folder, "urbanscore-cli");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTool.Find("dotnet") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "UrbanScore.Cli.dll");
        // URBANSCORE_CLI names an executable: this one runs the CLI built beside the tests.
        File.WriteAllText(Cli, $"#!/bin/sh\nexec '{dotnet}' '{dll}' \"$@\"\n");
        File.SetUnixFileMode(Cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>python3 that imports qgis.core.</summary>
    public string Python { get; }

    /// <summary>The temporary folder this harness owns.</summary>
    public string Folder { get; }

    /// <summary>An executable script that runs the built CLI with its arguments.</summary>
    public string Cli { get; }

    /// <summary>The folder holding the plugin folder (integrations/qgis).</summary>
    public static string PluginRoot => Path.Combine(SharedFixtures.RepoRoot, "integrations", "qgis");

    /// <summary>A harness, or skips the test when QGIS' Python bindings are not installed.</summary>
    public static QgisHarness Create()
    {
        var python = OperatingSystem.IsLinux() ? s_python.Value : null;
        if (python is null)
        {
            Assert.Skip("QGIS is not installed (apt-get install qgis python3-qgis; .ci/run installs it).");
        }

        return new QgisHarness(python, Path.Combine(Path.GetTempPath(), "urbanscore-qgis-" + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Runs one harness scenario and returns its RESULT document; fails the test on a Python exception.</summary>
    public JsonElement Run(string scenario, object request, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var script = Path.Combine(PluginRoot, "tests", "qgis_harness.py");
        var output = Start(Python, [script, scenario, JsonSerializer.Serialize(request)], environment);
        var line = output.StdOut.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, $"the harness printed no result (exit {output.ExitCode}):\n{output.StdOut}\n{output.StdErr}");
        var result = JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
        if (result.TryGetProperty("exception", out var exception))
        {
            Assert.Fail($"{exception.GetString()}\n{(result.TryGetProperty("traceback", out var tb) ? tb.GetString() : string.Empty)}");
        }

        return result;
    }

    /// <summary>
    /// Runs a program with the QGIS environment (offscreen, temporary HOME, URBANSCORE_CLI = <see cref="Cli"/>);
    /// <paramref name="environment"/> adds variables, and removes those whose value is null.
    /// </summary>
    public (int ExitCode, string StdOut, string StdErr) Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["QT_QPA_PLATFORM"] = "offscreen";
        info.Environment["HOME"] = Path.Combine(Folder, "home");
        info.Environment["XDG_RUNTIME_DIR"] = Path.Combine(Folder, "home");
        info.Environment["URBANSCORE_CLI"] = Cli;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish in 4 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private static string? FindPythonWithQgis()
    {
        // Debian's QGIS bindings belong to the system Python; a python3 earlier on PATH (pyenv, venv) lacks them.
        foreach (var python in new[] { "/usr/bin/python3", ExternalTool.Find("python3") })
        {
            if (python is null || !File.Exists(python))
            {
                continue;
            }

            var info = new ProcessStartInfo(python, ["-c", "import qgis.core"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(info);
            if (process is not null && process.WaitForExit(TimeSpan.FromSeconds(60)) && process.ExitCode == 0)
            {
                return python;
            }
        }

        return null;
    }
}
