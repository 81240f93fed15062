using System.CommandLine;

namespace UrbanScore.Cli;

/// <summary>
/// Builds the command tree and runs it with the documented exit codes. Each command lives in its own folder
/// under <c>Commands/</c> and only maps options to the library.
/// </summary>
internal static class UrbanScoreCli
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to the context's streams.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        // Everything written passes the run's secrets filter (--secret, header values, filled {env:NAME}).
        context = context with { Out = new RedactingWriter(context.Out, context.Secrets), Error = new RedactingWriter(context.Error, context.Secrets) };
        var root = new RootCommand("UrbanScore: score web-map tiles with an image classifier and publish the result as a map layer.");
        foreach (var command in CreateCommands(context))
        {
            root.Subcommands.Add(command);
        }

        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction(context); // version, commit, ONNX Runtime, SkiaSharp, CPU/GPU
        }

        if (CommandSuggestions.UnknownCommand(root, args, context.CommandName) is { } unknown)
        {
            await context.Error.WriteLineAsync("error: " + unknown).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && !IsHelpRequest(args))
        {
            var message = CommandSuggestions.UnknownOption(parseResult) ?? parseResult.Errors[0].Message;
            await context.Error.WriteLineAsync($"error: {message} Run '{context.CommandName} {FirstWord(args)} --help' for the options.".Replace("  ", " ", StringComparison.Ordinal)).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (UrbanScoreException ex)
        {
            // Hints name the tool as the user started it ('urbanscore …' or 'dotnet run … -- …').
            await context.Error.WriteLineAsync(InputFlags.ErrorLine(ex).Replace("'urbanscore ", "'" + context.CommandName + " ", StringComparison.Ordinal)).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (DiskFull.Describe(ex) is { } what)
        {
            await context.Error.WriteLineAsync($"error: out of disk space writing {what}; free space and re-run the same command to resume.").ConfigureAwait(false);
            return ExitCodes.UnexpectedError;
        }
    }

    internal static IEnumerable<Command> CreateCommands(CliContext context)
    {
        // One line per command; each command folder owns its options and action.
        yield return Commands.Score.ScoreCommand.Create(context);
        yield return Commands.InspectModel.InspectModelCommand.Create(context);
        yield return Commands.Classify.ClassifyCommand.Create(context);
        yield return Commands.Serve.ServeCommand.Create(context);
        yield return Commands.Capabilities.CapabilitiesCommand.Create(context);
        yield return Commands.Demo.DemoCommand.Create(context);
        yield return Commands.Bench.BenchCommand.Create(context);
        yield return Commands.Plan.PlanCommand.Create(context);
        yield return Commands.Countries.CountriesCommand.Create(context);
        yield return Commands.Merge.MergeCommand.Create(context);
        yield return Commands.Render.RenderCommand.Create(context);
        yield return Commands.Export.ExportCommand.Create(context);
        yield return Commands.Collect.CollectCommand.Create(context);
        yield return Commands.Stats.StatsCommand.Create(context);
        yield return Commands.Compare.CompareCommand.Create(context);
        yield return Commands.Evaluate.EvaluateCommand.Create(context);
        yield return Commands.DemoWorld.DemoWorldCommand.Create(context);
    }

    private static bool IsHelpRequest(string[] args) =>
        args.Any(a => a is "-h" or "--help" or "-?" or "--version");

    private static string FirstWord(string[] args) => args.Length > 0 && !args[0].StartsWith('-') ? args[0] : string.Empty;
}
