using UrbanScore.Cli;

namespace UrbanScore.Tests.Cli;

public sealed class RuntimePreloadTests
{
    [Theory]
    [InlineData("score", "--xyz", "http://127.0.0.1:1/{z}/{x}/{y}.png")]
    [InlineData("demo")]
    [InlineData("classify", "a.jpg")]
    [InlineData("inspect-model", "model.onnx")]
    [InlineData("bench")]
    public void OpensModel_CommandsThatOpenAModel_True(params string[] args) => Assert.True(RuntimePreload.OpensModel(args));

    [Fact]
    public void ModelCommands_EachIsACommandOfTheTool()
    {
        var names = UrbanScoreCli.CreateCommands(new CliContext(TextWriter.Null, TextWriter.Null, false)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(RuntimePreload.ModelCommands, name => Assert.Contains(name, names));
    }

    [Theory]
    [InlineData]
    [InlineData("render", "--out", "run")]
    [InlineData("serve", "run")]
    [InlineData("--version")]
    [InlineData("--model", "score")]
    public void OpensModel_OtherCommandLines_False(params string[] args) => Assert.False(RuntimePreload.OpensModel(args));
}
