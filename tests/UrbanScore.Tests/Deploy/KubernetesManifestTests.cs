using UrbanScore.Tests.TestSupport;
using UrbanScore.Tiling;
using YamlDotNet.RepresentationModel;

namespace UrbanScore.Tests.Deploy;

public sealed class KubernetesManifestTests
{
    private static readonly string s_folder = Path.Combine(RepositoryRoot(), "deploy", "k8s");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(s_folder, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => int.TryParse(key, out var i) ? ((YamlSequenceNode)n)[i] : ((YamlMappingNode)n)[key]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static List<string> Args(YamlNode job) => [.. ((YamlSequenceNode)At(job, "spec", "template", "spec", "containers", "0", "args")).Select(n => ((YamlScalarNode)n).Value!)];

    private static string ArgAfter(List<string> args, string option) => args[args.IndexOf(option) + 1];

    [Fact]
    public void ScoreJob_IndexedJob_MapsCompletionIndexToShardOfN()
    {
        var job = Load("score-job.yaml");

        var args = Args(job);
        var completions = int.Parse(Scalar(job, "spec", "completions"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("Indexed", Scalar(job, "spec", "completionMode"));
        Assert.Equal("score", args[0]);
        Assert.Equal($"$(JOB_COMPLETION_INDEX)/{completions}", ArgAfter(args, "--shard"));
        Assert.InRange(int.Parse(Scalar(job, "spec", "parallelism"), System.Globalization.CultureInfo.InvariantCulture), 1, completions);
        Assert.Contains("$(JOB_COMPLETION_INDEX)", ArgAfter(args, "--out"), StringComparison.Ordinal);
        Assert.Equal("9464", Scalar(job, "spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"));
        for (var k = 0; k < completions; k++)
        {
            // What the kubelet substitutes for pod k parses as shard k of N.
            Assert.Equal(new Shard(Index: k, Count: completions), Shard.Parse(ArgAfter(args, "--shard").Replace("$(JOB_COMPLETION_INDEX)", $"{k}", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void MergeJob_Folders_AreExactlyTheShardOutputs()
    {
        var score = Load("score-job.yaml");
        var merge = Load("merge-job.yaml");

        var scoreArgs = Args(score);
        var mergeArgs = Args(merge);
        var completions = int.Parse(Scalar(score, "spec", "completions"), System.Globalization.CultureInfo.InvariantCulture);
        var expected = Enumerable.Range(0, completions).Select(k => ArgAfter(scoreArgs, "--out").Replace("$(JOB_COMPLETION_INDEX)", $"{k}", StringComparison.Ordinal)).ToList();

        Assert.Equal("merge", mergeArgs[0]);
        Assert.Equal(expected, mergeArgs.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList());
        Assert.DoesNotContain(ArgAfter(mergeArgs, "--out"), expected);
        var claim = (YamlNode job) => Scalar(job, "spec", "template", "spec", "volumes", "0", "persistentVolumeClaim", "claimName");
        Assert.Equal(claim(score), claim(merge));
        Assert.Equal(Scalar(Load("pvc.yaml"), "metadata", "name"), claim(score));
        Assert.Equal(Scalar(score, "spec", "template", "spec", "containers", "0", "image"), Scalar(merge, "spec", "template", "spec", "containers", "0", "image"));
    }

    [Fact]
    public async Task ScoreJob_Args_ParseAsAValidScoreCommandLine()
    {
        // Pod 0's args must pass the CLI parser and the area/shard checks; the run then stops at the model, which only
        // exists in the pod (/models), before anything is fetched.
        var args = Args(Load("score-job.yaml")).Select(a => a.Replace("$(JOB_COMPLETION_INDEX)", "0", StringComparison.Ordinal)).ToArray();

        var (code, _, error) = await CliRun.RunAsync(args);

        Assert.Equal(2, code);
        Assert.DoesNotContain("--help", error, StringComparison.Ordinal);
        Assert.Contains("/models/model.onnx", error, StringComparison.Ordinal);
    }
}
