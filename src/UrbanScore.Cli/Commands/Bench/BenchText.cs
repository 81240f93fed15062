using System.Globalization;
using System.Text;
using UrbanScore.Tools.Benchmarking;

namespace UrbanScore.Cli.Commands.Bench;

/// <summary>The human-readable form of a <see cref="BenchReport"/>.</summary>
internal static class BenchText
{
    public static string Format(BenchReport report)
    {
        var m = report.Machine;
        var s = report.Settings;
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"machine:   {m.Cores} cores, {m.Processor}, {m.MemoryGiB} GiB, {m.Runtime}, ONNX Runtime {m.OnnxRuntime}, load {m.LoadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}");
        Line($"model:     {s.Model} (batch {s.ModelBatch}) on {s.Device}");
        Line($"settings:  batch {s.BatchSize}, decode workers {s.DecodeWorkers}, intra-op threads {s.IntraOpThreads}, concurrent runs {s.ConcurrentRuns}, fetch concurrency {s.FetchConcurrency}, socket completions {s.SocketCompletions} (auto: {string.Join(", ", s.Automatic)})");
        Line($"tiles:     {s.Tiles} end to end, {s.DistinctTiles} distinct JPEGs of {s.MeanTileBytes} bytes on average, server {s.Server}, latency +{s.LatencyMs} ms (probed {s.ProbedLatencyMs} ms)");
        Line($"");
        Line($"decode+preprocess alone   {report.Decode.TilesPerSecond,9:0.0} tiles/s   cpu {report.Decode.CpuUtilisation:P0}");
        Line($"inference alone           {report.Inference.TilesPerSecond,9:0.0} tiles/s   cpu {report.Inference.CpuUtilisation:P0}");
        Line($"ideal 1/(1/d + 1/i)       {report.IdealTilesPerSecond,9:0.0} tiles/s");
        Line($"per-core limit            {report.Limit.TilesPerSecond,9:0.0} tiles/s   cpu {report.Limit.CpuUtilisation:P0}   ({report.LimitRuns.Count} runs, {report.LimitRuns.Min(r => r.TilesPerSecond):0.0} to {report.LimitRuns.Max(r => r.TilesPerSecond):0.0})");
        Line($"end to end                {report.EndToEnd.TilesPerSecond,9:0.0} tiles/s   cpu {report.EndToEnd.CpuUtilisation:P0}   ({report.EndToEnd.Scored} scored in {report.EndToEnd.PipelineSeconds:0.00} s, job {report.EndToEnd.JobSeconds:0.00} s, {report.EndToEnd.Batches} batches; median round)");
        Line($"efficiency vs limit       {report.EfficiencyVsLimit,9:0.000}   (median of {report.Rounds.Count} rounds: {string.Join(", ", report.Rounds.Select(r => r.EfficiencyVsLimit.ToString("0.000", CultureInfo.InvariantCulture)))})");
        Line($"CPU efficiency vs limit   {report.CpuEfficiencyVsLimit,9:0.000}   (the limit's CPU per tile ÷ this process's; median of {report.Rounds.Count} rounds: {string.Join(", ", report.Rounds.Select(r => r.CpuEfficiencyVsLimit.ToString("0.000", CultureInfo.InvariantCulture)))})");
        Line($"efficiency vs ideal       {report.Efficiency,9:0.000}");
        Line($"CPU per tile (ms)         decode {report.Decode.CpuMsPerTile:0.000} + inference {report.Inference.CpuMsPerTile:0.000} = {report.Decode.CpuMsPerTile + report.Inference.CpuMsPerTile:0.000}; limit {report.Limit.CpuMsPerTile:0.000}; end to end {report.EndToEnd.CpuMsPerTile:0.000}");
        if (report.Fetch is { } fetch)
        {
            Line($"fetch alone (HTTP, server {s.Server}) {fetch.TilesPerSecond,9:0.0} tiles/s   cpu {fetch.CpuUtilisation:P0}");
            Line($"ideal with fetch 1/(1/d + 1/i + 1/f) {report.IdealWithFetchTilesPerSecond,9:0.0} tiles/s   efficiency {report.EfficiencyWithFetch,5:0.000}");
            Line($"limit with fetch 1/(1/limit + 1/f) {report.LimitWithFetchTilesPerSecond,9:0.0} tiles/s   efficiency {report.EfficiencyVsLimitWithFetch,5:0.000}");
        }

        if (report.LimitBesideFetch is { } beside)
        {
            Line($"limit beside fetching     {beside.TilesPerSecond,9:0.0} tiles/s   cpu {beside.CpuMsPerTile:0.000} ms per tile   (fetching leaves {report.LimitBesideFetchVsLimit:0.000} of the limit's CPU per tile; end to end is {report.CpuEfficiencyVsLimitBesideFetch:0.000} of this; medians of {report.Rounds.Count} rounds)");
        }

        if (report.EndToEnd.CpuByThread.Count > 0)
        {
            Line($"end-to-end CPU per tile by thread (ms): {string.Join("; ", report.EndToEnd.CpuByThread.Select(t => t.Threads + " " + t.CpuMsPerTile.ToString("0.000", CultureInfo.InvariantCulture)))}");
            Line($"times on a CPU per tile: {string.Join("; ", report.EndToEnd.CpuByThread.Where(t => t.SlicesPerTile is not null).Select(t => t.Threads + " " + t.SlicesPerTile!.Value.ToString("0.00", CultureInfo.InvariantCulture)))}");
        }

        Line($"thread-pool work items    {report.EndToEnd.PoolWorkItemsPerTile.ToString("0.00", CultureInfo.InvariantCulture)} per tile while the pipeline ran");

        Line($"managed allocation        {report.EndToEnd.AllocatedBytesPerTile:0} B per tile, {report.EndToEnd.Gen0Collections} gen-0 collections while the pipeline ran");
        Line($"peak RSS                  {report.EndToEnd.PeakRssMiB,9:0.0} MiB during the pipeline, {report.EndToEnd.PeakRssJobMiB:0.0} MiB over the job");
        Line($"");
        Line($"{"stage",-34} {"count",8} {"mean ms",9} {"p50 ms",9} {"p95 ms",9} {"total s",9}");
        foreach (var stage in report.Stages)
        {
            Line($"{stage.Stage,-34} {stage.Count,8} {stage.MeanMs,9:0.000} {stage.P50Ms,9:0.000} {stage.P95Ms,9:0.000} {stage.TotalSeconds,9:0.00}");
        }

        foreach (var note in report.Notes)
        {
            Line($"note: {note}");
        }

        return text.ToString().TrimEnd();
    }
}
