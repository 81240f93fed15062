using System.Globalization;
using System.Text.RegularExpressions;

namespace UrbanScore.Cli.Commands;

/// <summary>Reads <c>--max-outage</c>: a duration like 90s, 15m, 2h, 1h30m or plain seconds; 0 = wait forever.</summary>
internal static partial class OutageOptions
{
    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var match = Duration().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
        {
            throw new UrbanScoreException($"--max-outage '{text}' is not a duration; write it like 90s, 15m, 2h or 0 (never stop).");
        }

        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?:in)?)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
