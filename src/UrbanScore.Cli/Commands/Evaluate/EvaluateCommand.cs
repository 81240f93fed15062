using System.CommandLine;
using UrbanScore.Analysis;

namespace UrbanScore.Cli.Commands.Evaluate;

/// <summary><c>urbanscore evaluate RUN --truth FILE</c>: how well a run's scores agree with reference labels.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = "Output folder of a run (holds scores.sqlite)." };
        var truth = new Option<string>("--truth") { Description = "Reference: CSV with z,x,y,label columns (other columns ignored), or GeoJSON polygons of the positive class.", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "A score at least this is a positive prediction.", DefaultValueFactory = _ => RunEvaluator.DefaultThreshold };
        var minShare = new Option<double>("--min-share") { Description = "With GeoJSON: share of a tile's area inside the polygons that makes it positive (0 = any overlap).", DefaultValueFactory = _ => ReferenceSet.DefaultMinShare };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the summary." };
        var plot = new Option<string?>("--plot") { Description = "Also draw the ROC and calibration curves into this PNG file." };
        var command = new Command("evaluate", "Compare a run's scores with reference labels: accuracy, precision, recall, F1, confusion matrix, ROC-AUC, calibration.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { truth, threshold, minShare, json, plot })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var reference = ReferenceSet.Open(parseResult.GetValue(truth)!, parseResult.GetValue(minShare), context.Error.WriteLine);
            var report = RunEvaluator.Evaluate(parseResult.GetValue(run)!, reference, parseResult.GetValue(threshold), cancellationToken);
            if (report.Tiles == 0)
            {
                throw new UrbanScoreException($"No tile of {reference.Description} was scored in the run ({report.Unscored} not scored, {report.Ignored} ignored); check that the reference covers the run's area and zoom and uses the model's labels.");
            }

            if (parseResult.GetValue(plot) is { } plotPath)
            {
                EvaluationPlot.Write(report, plotPath);
            }

            var asJson = parseResult.GetValue(json);
            await context.Out.WriteAsync(asJson ? report.ToJson() + "\n" : report.Describe()).ConfigureAwait(false);
            if (!asJson && parseResult.GetValue(plot) is { } written)
            {
                await context.Out.WriteLineAsync("plot: " + written).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
