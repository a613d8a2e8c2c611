using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace Billing.Cli.Commands;

/// <summary>Options that every command accepts, e.g. <c>billing --url http://host:5080 health</c>.</summary>
internal sealed class GlobalOptions
{
    public const string UrlEnvironmentVariable = "BILLING_URL";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public GlobalOptions(Func<string, string?> environment, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        Environment = environment;
        Time = time ?? TimeProvider.System;
        Handler = handler;
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

    /// <summary>Reads an environment variable; injected so tests control what commands see.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>"Now" for the commands whose rules depend on the date (the generators); a test puts the silo's clock here.</summary>
    public TimeProvider Time { get; }

    /// <summary>Null: real HTTP. A test passes an in-memory silo's handler, which the commands must not dispose.</summary>
    public HttpMessageHandler? Handler { get; }

    /// <summary>
    /// The URL in effect, for a command's validator: there a default is not filled in yet, so it is worked out here.
    /// Null when the URL given is invalid (that has its own error).
    /// </summary>
    public Uri? UrlFor(SymbolResult result)
    {
        if (result.GetResult(Url) is not { Implicit: false } given)
        {
            return TryParseBaseUrl(DefaultFrom(Environment), out var fallback) ? fallback : null;
        }

        // "--url" without a value has its own error too.
        return given.Tokens is [.., var last] && TryParseBaseUrl(last.Value, out var url) ? url : null;
    }

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
