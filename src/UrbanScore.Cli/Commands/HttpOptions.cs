using System.CommandLine;
using System.Globalization;
using UrbanScore.Sources;

namespace UrbanScore.Cli.Commands;

/// <summary>The HTTP politeness options shared by every command that fetches tiles.</summary>
internal sealed class HttpOptions
{
    public Option<int> Concurrency { get; } = new("--concurrency") { Description = "HTTP requests in flight.", DefaultValueFactory = _ => 16 };

    public Option<double> MaxRps { get; } = new("--max-rps") { Description = "Most requests per second to one host (0 = no limit). Split it among shards." };

    public Option<string[]> Headers { get; } = new("--header") { Description = "Extra request header 'Name: value' (e.g. an API key; 'X-Api-Key: {env:MY_KEY}' reads it from the environment); repeatable. Never logged.", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> Secrets { get; } = new("--secret") { Description = "A literal string to mask everywhere (console, logs, every output), e.g. a key in the URL path; repeatable.", AllowMultipleArgumentsPerToken = false };

    public Option<string?> UserAgent { get; } = new("--user-agent") { Description = "User-Agent to send instead of UrbanScore's own." };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds allowed per request attempt.", DefaultValueFactory = _ => 30 };

    public Option<int> Retries { get; } = new("--retries") { Description = "Retries per tile on 429/5xx/timeouts.", DefaultValueFactory = _ => 4 };

    public Option<string?> Cache { get; } = new("--cache") { Description = "Folder of a disk cache of downloaded tiles, shared by runs and models (ETag-revalidated; no size limit: delete it to empty it)." };

    public Option<bool> FollowOtherHosts { get; } = new("--follow-redirects-to-other-hosts") { Description = "Follow redirects to another host (never to a non-HTTP scheme)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Concurrency);
        command.Options.Add(MaxRps);
        command.Options.Add(Headers);
        command.Options.Add(Secrets);
        command.Options.Add(UserAgent);
        command.Options.Add(Timeout);
        command.Options.Add(Retries);
        command.Options.Add(FollowOtherHosts);
        command.Options.Add(Cache);
    }

    /// <summary>Reads the options; --secret values join <paramref name="secrets"/>, header placeholders are filled through it.</summary>
    public HttpFetchOptions Read(ParseResult parseResult, SecretSet secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in parseResult.GetValue(Secrets) ?? [])
        {
            secrets.Add(secret);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in parseResult.GetValue(Headers) ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UrbanScoreException("--header must look like 'Name: value' (e.g. 'X-Api-Key: ...').");
            }

            var name = header[..colon].Trim();
            headers.Add(new(name, secrets.Fill(header[(colon + 1)..].Trim(), "--header " + name)));
        }

        var defaults = new HttpFetchOptions();
        var timeout = parseResult.GetValue(Timeout);
        var options = new HttpFetchOptions
        {
            Concurrency = parseResult.GetValue(Concurrency),
            MaxRequestsPerSecond = parseResult.GetValue(MaxRps),
            Headers = headers,
            UserAgent = parseResult.GetValue(UserAgent) ?? defaults.UserAgent,
            RequestTimeout = double.IsFinite(timeout) ? TimeSpan.FromSeconds(Math.Clamp(timeout, -1e9, 1e9)) : TimeSpan.Zero,
            MaxRetries = parseResult.GetValue(Retries),
            FollowRedirectsToOtherHosts = parseResult.GetValue(FollowOtherHosts),
            CacheFolder = parseResult.GetValue(Cache),
            Secrets = secrets,
        };
        options.Validate(); // the engine's check, so collect gets it before it fetches anything too
        return options;
    }
}
