// Scores central Zürich in UrbanScore's demo world (a synthetic map served on 127.0.0.1) with a Custom Vision model.
// Usage: dotnet run --project samples/UrbanScore.Sample -- <model.onnx> <output-folder>
using System.Globalization;
using UrbanScore;
using UrbanScore.DemoWorld;
using UrbanScore.Geo;
using UrbanScore.Pipeline;
using UrbanScore.Tiling;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: UrbanScore.Sample <model.onnx> <output-folder>");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel(); // what was scored stays in the output folder; running again resumes
};

// Any XYZ template or WMTS capabilities URL works here; the demo world needs no network.
await using var world = await DemoWorldServer.StartAsync(cancellationToken: cancel.Token);

try
{
    var result = await UrbanScorer.ScoreAsync(
        new ScoreRequest
        {
            XyzTemplate = world.XyzTemplate,
            Area = new BoxArea(new BoundingBox(MinX: 8.50, MinY: 47.35, MaxX: 8.58, MaxY: 47.40)),
            Zoom = 14,
            ModelPath = args[0],
            OutputFolder = args[1],
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
