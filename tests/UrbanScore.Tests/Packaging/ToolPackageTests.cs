using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using UrbanScore.Tests.TestSupport;

namespace UrbanScore.Tests.Packaging;

/// <summary>
/// Packs the library and the tool the way a release does, installs the tool from the packed folder into a temporary
/// tool path, and runs the installed <c>urbanscore</c>. One test on purpose: packing is the slow part (about 30–60 s
/// on a CI machine, mostly compressing ONNX Runtime and SkiaSharp native libraries into a ~95 MB package). It packs
/// with --no-build from the outputs this test run was built from, and installs offline from a nuget.config that
/// lists only the packed folder, into a private NuGet cache (so a stale UrbanScore.Tool of the same version in
/// ~/.nuget/packages is never used).
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class ToolPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _root = Path.Combine(Path.GetTempPath(), "urbanscore-pack-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void PackAndInstall_ToolFromPackedFolder_RunsVersionAndDemo()
    {
        var dotnet = DotnetHost();
        var repo = SharedFixtures.RepoRoot;
        var feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        var tools = Path.Combine(_root, "tools");
        foreach (var project in new[] { "src/UrbanScore/UrbanScore.csproj", "src/UrbanScore.Cli/UrbanScore.Cli.csproj" })
        {
            var (packCode, packOut) = Run(dotnet, ["pack", project, "-c", Configuration, "--no-build", "--no-restore", "-o", feed], repo, TimeSpan.FromMinutes(5));
            Assert.True(packCode == 0, "dotnet pack " + project + " failed:\n" + packOut);
        }

        var version = ProductInfo.Version;
        AssertPackageMetadata(Path.Combine(feed, $"UrbanScore.{version}.nupkg"), "UrbanScore", version, isTool: false);
        AssertPackageMetadata(Path.Combine(feed, $"UrbanScore.Tool.{version}.nupkg"), "UrbanScore.Tool", version, isTool: true);

        var config = Path.Combine(_root, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var (installCode, installOut) = Run(dotnet, ["tool", "install", "--tool-path", tools, "--configfile", config, "UrbanScore.Tool", "--version", version], _root, TimeSpan.FromMinutes(3));
        Assert.True(installCode == 0, "dotnet tool install failed:\n" + installOut);

        var urbanscore = Path.Combine(tools, OperatingSystem.IsWindows() ? "urbanscore.exe" : "urbanscore");
        var (versionCode, versionOut) = Run(urbanscore, ["--version"], _root, TimeSpan.FromMinutes(1));
        Assert.True(versionCode == 0, versionOut);
        Assert.StartsWith("urbanscore " + version, versionOut, StringComparison.Ordinal);
        Assert.Contains("onnxruntime:", versionOut, StringComparison.Ordinal);
        Assert.Contains("skiasharp:", versionOut, StringComparison.Ordinal);

        // When `--help` lists the demo command, the installed tool must run it too: with the model the package
        // carries (models/urbanscore-demo.onnx, once the repository has it), else with the shared city model.
        var (_, help) = Run(urbanscore, ["--help"], _root, TimeSpan.FromMinutes(1));
        if (help.Split('\n').Any(line => line.TrimStart().StartsWith("demo ", StringComparison.Ordinal)))
        {
            List<string> demo = ["demo", "--max-tiles", "50", "--out", Path.Combine(_root, "demo")];
            if (!File.Exists(Path.Combine(repo, "models", "urbanscore-demo.onnx")))
            {
                demo.AddRange(["--model", SharedFixtures.Require("fixtures/models/sqz_city_cv.onnx")]);
            }

            var (demoCode, demoOut) = Run(urbanscore, demo, _root, TimeSpan.FromMinutes(5));
            Assert.True(demoCode == 0, "urbanscore demo failed:\n" + demoOut);
            Assert.True(File.Exists(Path.Combine(_root, "demo", "run.json")), "the demo wrote no run.json:\n" + demoOut);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void AssertPackageMetadata(string path, string id, string version, bool isTool)
    {
        Assert.True(File.Exists(path), path + " was not produced");
        using var zip = ZipFile.OpenRead(path);
        var nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Contains("onnx", Field("tags") ?? string.Empty, StringComparison.Ordinal);
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://", repository.Attribute("url")!.Value, StringComparison.Ordinal);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        if (isTool)
        {
            var settings = Assert.Single(zip.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
            using var settingsStream = settings.Open();
            var command = XDocument.Load(settingsStream).Descendants().Single(e => e.Name.LocalName == "Command");
            Assert.Equal("urbanscore", command.Attribute("Name")!.Value);
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTool.Find("dotnet");
        if (host is null || !File.Exists(host))
        {
            Assert.Skip("the dotnet host was not found (DOTNET_HOST_PATH or dotnet on PATH).");
        }

        return new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host;
    }

    private (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A private package cache, the runtime the installed tool's launcher needs, and no first-run chatter.
        info.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "nuget-cache");
        info.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost());
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
