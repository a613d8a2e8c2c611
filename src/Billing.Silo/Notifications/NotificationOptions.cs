namespace Billing.Silo.Notifications;

/// <summary>Where operators are told about billing (section <c>Billing:Notifications</c>, seed 002).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Billing:Notifications";
    public const int MinSecretLength = 16;

    /// <summary>A Slack incoming webhook (<c>https://hooks.slack.com/services/…</c>): a line of text per notice.</summary>
    public string? SlackWebhookUrl { get; set; }

    /// <summary>Any URL that takes the notice as JSON, signed with <see cref="WebhookSecret"/>.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Signs the generic webhook (<c>X-Billing-Signature: t=…,v1=…</c>, HMAC-SHA256 of "t.body").</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Attempts per notice and target, with doubling delays from <see cref="FirstRetryDelayMs"/>.</summary>
    public int MaxAttempts { get; set; } = 5;

    public int FirstRetryDelayMs { get; set; } = 1_000;

    public int TimeoutMs { get; set; } = 10_000;

    /// <summary>Notices waiting to be sent; beyond, new ones are dropped (and counted in the log), so a dead target never holds up billing.</summary>
    public int MaxQueued { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, url) in new[] { ("SlackWebhookUrl", SlackWebhookUrl), ("WebhookUrl", WebhookUrl) })
        {
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                yield return $"Billing:Notifications:{name} must be an absolute http(s) URL.";
            }
        }

        if (WebhookUrl is not null && WebhookSecret is not { Length: >= MinSecretLength })
        {
            yield return $"Billing:Notifications:WebhookSecret must have at least {MinSecretLength} characters when WebhookUrl is set: receivers verify the signature.";
        }

        if (MaxAttempts is < 1 or > 10 || FirstRetryDelayMs is < 10 or > 60_000 || TimeoutMs is < 100 or > 60_000 || MaxQueued is < 1 or > 100_000)
        {
            yield return "Billing:Notifications: MaxAttempts 1..10, FirstRetryDelayMs 10..60000, TimeoutMs 100..60000, MaxQueued 1..100000.";
        }
    }
}
