using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace UrbanScore.Sources;

/// <summary>
/// Pulls a short human-readable message out of a non-image body: the ExceptionText of an OWS ExceptionReport, an
/// HTML title, or the first characters of JSON/plain text.
/// </summary>
internal static partial class ServerMessage
{
    private const int MaxLength = 200;

    public static string Extract(ReadOnlySpan<byte> body, MediaTypeHeaderValue? contentType)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 16 * 1024)]);
        var exception = ExceptionText().Match(text);
        if (exception.Success)
        {
            var code = ExceptionCode().Match(text);
            var prefix = code.Success ? $"OWS exception {code.Groups[1].Value}: " : "OWS exception: ";
            return Shorten(prefix + Collapse(exception.Groups[1].Value));
        }

        var title = HtmlTitle().Match(text);
        if (title.Success)
        {
            return Shorten("HTML page \"" + Collapse(title.Groups[1].Value) + "\"");
        }

        var kind = contentType?.MediaType ?? "unknown type";
        return Shorten(kind + " body: " + Collapse(text));
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Shorten(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "…";

    [GeneratedRegex(@"<(?:\w+:)?ExceptionText[^>]*>(.*?)</(?:\w+:)?ExceptionText>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ExceptionText();

    [GeneratedRegex(@"exceptionCode\s*=\s*""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExceptionCode();

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
