using System.CommandLine;

namespace UrbanScore.Cli.Commands.Score;

/// <summary><c>urbanscore score</c>: scores an area of a tile service with a model.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("score", "Score every tile of an area with an ONNX classifier.");
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(ExitCodes.UnexpectedError));
        _ = context;
        return command;
    }
}
