// Scores central Zürich from any XYZ tile service with a Custom Vision model.
// Usage: dotnet run --project samples/UrbanScore.Sample -- <xyz-template> <model.onnx> <output-folder>
// Without imagery of your own, `urbanscore serve --demo-world` serves UrbanScore's synthetic demo world on 127.0.0.1
// and prints its XYZ template.
using System.Globalization;
using UrbanScore;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Runs;
using UrbanScore.Tiling;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: UrbanScore.Sample <xyz-template> <model.onnx> <output-folder>");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel(); // what was scored stays in the output folder; running again resumes
};

try
{
    var result = await UrbanScorer.ScoreAsync(
        new ScoreRequest
        {
            XyzTemplate = args[0], // or WmtsCapabilities = a GetCapabilities URL or file
            Area = new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.35, MaxX: 8.58, MaxY: 47.40)),
            Zoom = 14,
            ModelPath = args[1],
            OutputFolder = args[2],
        },
        new Progress<PipelineProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Done}/{p.Total} tiles"))),
        cancel.Token);

    var c = result.Counts;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Scored} tiles scored, {c.Empty} empty, {c.Failed} failed; run.json at {result.ManifestPath}"));
    return c.Failed == 0 ? 0 : 3;
}
catch (UrbanScoreException ex)
{
    // Bad input (missing model, unknown label, ...): one sentence that names the fix.
    Console.Error.WriteLine(ex.Message);
    return 2;
}
