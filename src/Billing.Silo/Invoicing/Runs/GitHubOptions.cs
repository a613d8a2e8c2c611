namespace Billing.Silo.Invoicing.Runs;

/// <summary>GitHub's trigger for billing runs (section <c>Billing:GitHub</c>).</summary>
public sealed class GitHubOptions
{
    public const string SectionName = "Billing:GitHub";
    public const int MinSecretLength = 16;

    /// <summary>The webhook's secret, as set in GitHub (and in the workflow's secrets); without it the webhook answers 404.</summary>
    public string? WebhookSecret { get; set; }

    public IEnumerable<string> Validate()
    {
        if (WebhookSecret is { Length: < MinSecretLength })
        {
            yield return $"Billing:GitHub:WebhookSecret must have at least {MinSecretLength} characters (a random one, e.g. openssl rand -hex 32).";
        }
    }
}
