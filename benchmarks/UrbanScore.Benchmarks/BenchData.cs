using System.Diagnostics;
using SkiaSharp;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Benchmarks;

/// <summary>Inputs shared by the benchmarks: demo-world JPEG tiles and the model, found without the network.</summary>
internal static class BenchData
{
    /// <summary>The model: $URBANSCORE_BENCH_MODEL, else models/urbanscore-demo.onnx, else ../shared/fixtures/models/sqz_city_cv.onnx.</summary>
    public static string ModelPath()
    {
        if (Environment.GetEnvironmentVariable("URBANSCORE_BENCH_MODEL") is { Length: > 0 } given)
        {
            return given;
        }

        var root = RepositoryRoot();
        var demo = Path.Combine(root, "models", "urbanscore-demo.onnx");
        var fixture = Path.Combine(root, "..", "shared", "fixtures", "models", "sqz_city_cv.onnx");
        return File.Exists(demo) ? demo : File.Exists(fixture) ? fixture
            : throw new FileNotFoundException("No model: set URBANSCORE_BENCH_MODEL or add models/urbanscore-demo.onnx.");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run the benchmarks from inside the repository.");
    }

    /// <summary>Demo-world 256 px JPEG tiles (the same the bench command serves).</summary>
    public static IReadOnlyList<byte[]> Tiles(int count) => BenchRunner.RenderDemoTiles(count);

    /// <summary>A tile re-encoded at twice the size (512 px), where scaled JPEG decoding applies.</summary>
    public static byte[] Upscaled(byte[] jpeg)
    {
        using var small = SKBitmap.Decode(jpeg);
        using var large = small.Resize(new SKImageInfo(512, 512), new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(large);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    /// <summary>A copy of a dynamic-batch model with its batch dimension fixed to 1 (python3-onnx), or null without python.</summary>
    public static string? FixedBatchTwin(string model)
    {
        var twin = Path.Combine(Path.GetTempPath(), "urbanscore-bench-fixed1-" + Path.GetFileName(model));
        var script = "import sys, onnx\nm = onnx.load(sys.argv[1])\nd = m.graph.input[0].type.tensor_type.shape.dim[0]\nd.ClearField('dim_param'); d.dim_value = 1\nonnx.save(m, sys.argv[2])\n";
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-", model, twin })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            process.WaitForExit();
            return process.ExitCode == 0 ? twin : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
