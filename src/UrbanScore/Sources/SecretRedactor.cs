using System.Text.RegularExpressions;

namespace UrbanScore.Sources;

/// <summary>
/// Removes secrets from text that may reach logs, progress output, run.json or error messages: query parameters that
/// carry keys (<c>apikey</c>, <c>key</c>, <c>token</c>, <c>access_token</c>, …), URL user-info, and any value the user
/// passed as a header.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>Redacts secret query parameters and user-info in every URL inside <paramref name="text"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = SecretQueryParameter().Replace(text, m => m.Groups["name"].Value + "=" + Mask);
        return UserInfo().Replace(result, m => m.Groups["scheme"].Value + Mask + "@");
    }

    /// <summary>Redacts as <see cref="Redact(string)"/> and also every occurrence of the given secret values.</summary>
    public static string Redact(string text, IEnumerable<string> secretValues)
    {
        ArgumentNullException.ThrowIfNull(secretValues);
        var result = Redact(text);
        foreach (var secret in secretValues)
        {
            if (secret.Length >= 4)
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return result;
    }

    [GeneratedRegex(@"(?<=[?&;])(?<name>(?:api[_-]?key|key|token|access[_-]?token|auth|authorization|apitoken|secret|signature|sig|password|passwd|client[_-]?secret|subscription[_-]?key|code))=(?!\{env:)[^&#\s""'<>]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryParameter();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)[^/@\s""'<>]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
