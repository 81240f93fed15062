using System.Text.Json;
using UrbanScore.Cli;
using UrbanScore.Tests.Inference;
using UrbanScore.Tests.Reliability;
using UrbanScore.Tests.TestSupport;
using UrbanScore.Tools.Hosting;

namespace UrbanScore.Tests.Cli;

// Alone: one test runs a whole bench in a child process, which the parallel tests would slow towards its time limit.
[Collection(RunsAlone.Name)]
public sealed class SocketCompletionsTests
{
    [Theory]
    [InlineData("score", "--xyz", "http://127.0.0.1:1/{z}/{x}/{y}.png")]
    [InlineData("demo")]
    [InlineData("bench", "--json")]
    public void ValueFor_PipelineCommandWithSwitchUnset_One(params string[] args) => Assert.Equal("1", SocketCompletions.ValueFor(args, current: null));

    [Theory]
    [InlineData]
    [InlineData("serve", "run")]
    [InlineData("render", "--out", "run")]
    [InlineData("classify", "a.jpg")]
    [InlineData("--version")]
    [InlineData("--model", "score")]
    public void ValueFor_OtherCommandLines_Null(params string[] args) => Assert.Null(SocketCompletions.ValueFor(args, current: null));

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("")]
    public void ValueFor_SwitchSetByTheUser_KeepsIt(string current) => Assert.Null(SocketCompletions.ValueFor(["score"], current));

    [Fact]
    public void PipelineCommands_EachIsACommandOfTheTool()
    {
        var names = UrbanScoreCli.CreateCommands(new CliContext(TextWriter.Null, TextWriter.Null, false)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(SocketCompletions.PipelineCommands, name => Assert.Contains(name, names));
    }

    [Theory]
    [InlineData(null, "inline")]
    [InlineData("0", "thread pool")]
    public async Task Main_BenchInARealProcess_ReportsWhereSocketCompletionsRan(string? userValue, string expected)
    {
        // Arrange: the switch as the user left it (unset, or turned off).
        var environment = new Dictionary<string, string?> { [SocketCompletions.InlineVariable] = userValue };

        // Act: Program.Main sets the switch before the bench opens its first socket.
        using var bench = CliProcess.Start(environment, "bench", "--model", InferenceTestData.Model("cv2020-zipmap"), "--tiles", "20", "--rounds", "1", "--stage-seconds", "0.1", "--batch-size", "4", "--json");
        var code = await bench.WaitAsync(TimeSpan.FromMinutes(5));

        // Assert
        Assert.True(code == 0, bench.Error);
        using var json = JsonDocument.Parse(bench.Out);
        Assert.Equal(expected, json.RootElement.GetProperty("settings").GetProperty("socketCompletions").GetString());
    }
}
