namespace UrbanScore.Inference;

/// <summary>Reads a Custom Vision <c>labels.txt</c>: one tag per line, LF or CRLF, blank lines ignored, as Custom Vision writes it.</summary>
internal static class LabelsFile
{
    public static string[] Read(string path)
    {
        var labels = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (labels.Length == 0)
        {
            throw new UrbanScoreException($"labels file {path} is empty; use the labels.txt from the model's Custom Vision export (one tag per line).");
        }

        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UrbanScoreException($"labels file {path} lists '{duplicate.Key}' twice; use the labels.txt from the model's Custom Vision export (one tag per line).");
        }

        return labels;
    }
}
