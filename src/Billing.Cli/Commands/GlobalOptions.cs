using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace Billing.Cli.Commands;

/// <summary>Options that every command accepts, e.g. <c>billing --url http://host:5080 health</c>.</summary>
internal sealed class GlobalOptions
{
    public const string UrlEnvironmentVariable = "BILLING_URL";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public GlobalOptions(Func<string, string?> environment)
    {
        Url = new Option<Uri>("--url")
        {
            Description = $"Base URL of the silo. Defaults to ${UrlEnvironmentVariable}, else {DefaultUrl}.",
            HelpName = "url",
            Recursive = true,
            // Validated here too, so a bad BILLING_URL fails as a usage error rather than as an unreachable host.
            DefaultValueFactory = result => ParseUrl(result, DefaultFrom(environment), $"${UrlEnvironmentVariable}"),
            CustomParser = result => ParseUrl(result, result.Tokens[^1].Value, "--url"),
        };
    }

    public Option<Uri> Url { get; }

    private static string DefaultFrom(Func<string, string?> environment)
    {
        var configured = environment(UrlEnvironmentVariable);
        return string.IsNullOrWhiteSpace(configured) ? DefaultUrl : configured.Trim();
    }

    private static Uri ParseUrl(ArgumentResult result, string text, string source)
    {
        if (TryParseBaseUrl(text, out var url))
        {
            return url;
        }

        result.AddError($"{source} '{text}' is not an absolute http(s) URL (for example {DefaultUrl}).");
        // Never used: the error above fails the parse before any command runs.
        return new Uri(DefaultUrl);
    }

    internal static bool TryParseBaseUrl(string text, [NotNullWhen(true)] out Uri? url)
    {
        // UriKind.Absolute alone is not enough: on Unix "/tmp/x" parses as a file:// URI.
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            url = parsed;
            return true;
        }

        url = null;
        return false;
    }
}
