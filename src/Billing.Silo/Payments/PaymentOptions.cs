namespace Billing.Silo.Payments;

/// <summary>How customers pay (section <c>Billing:Payments</c>).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Billing:Payments";
    public const string SandboxProvider = "sandbox";
    public const string StripeProvider = "stripe";
    public const string PayPalProvider = "paypal";
    public const int MaxSweepBatchSize = 1_000;
    public const int MaxSweepIntervalSeconds = 3_600;

    /// <summary>
    /// <c>sandbox</c> (the default): offline, Stripe's published test cards behave as in Stripe's
    /// test mode, so demos and the embedded default work without any account.
    /// </summary>
    public string Provider { get; set; } = SandboxProvider;

    /// <summary><c>stripe</c>: Stripe's API through Stripe.net (section <c>Billing:Payments:Stripe</c>).</summary>
    public StripeProviderOptions Stripe { get; set; } = new();

    /// <summary>PayPal beside the card provider, when configured (section <c>Billing:Payments:PayPal</c>).</summary>
    public PayPalProviderOptions PayPal { get; set; } = new();

    /// <summary>How often a silo grants the purchases that a crash left paid but not yet granted.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>Ungranted purchases one sweep handles; the rest wait for the next.</summary>
    public int SweepBatchSize { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (Provider is not (SandboxProvider or StripeProvider))
        {
            yield return $"Billing:Payments:Provider must be '{SandboxProvider}' or '{StripeProvider}' (got '{Provider}').";
        }

        if (Provider == StripeProvider)
        {
            foreach (var problem in Stripe.Validate())
            {
                yield return problem;
            }
        }

        foreach (var problem in PayPal.Validate())
        {
            yield return problem;
        }

        if (SweepIntervalSeconds is < 1 or > MaxSweepIntervalSeconds)
        {
            yield return $"Billing:Payments:SweepIntervalSeconds must be 1..{MaxSweepIntervalSeconds} (got {SweepIntervalSeconds}).";
        }

        if (SweepBatchSize is < 1 or > MaxSweepBatchSize)
        {
            yield return $"Billing:Payments:SweepBatchSize must be 1..{MaxSweepBatchSize} (got {SweepBatchSize}).";
        }
    }
}

/// <summary>Stripe's account and endpoint (section <c>Billing:Payments:Stripe</c>).</summary>
public sealed class StripeProviderOptions
{
    public const int MaxTimeoutSeconds = 120;
    public const int MaxNetworkRetriesLimit = 5;

    /// <summary>The secret (<c>sk_…</c>) or restricted (<c>rk_…</c>) key; from a secret store, never from appsettings.json.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Stripe's API, or a stand-in of it (tests, stripe-mock).</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The endpoint's signing secret (<c>whsec_…</c>); without it <c>POST /api/v1/webhooks/stripe</c> answers 404.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a webhook's signed timestamp may be, against replays.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Stripe.net retries a failed connection with the same idempotency key this many times.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>
    /// How long an applied event's id is kept against a second delivery. Stripe retries an event for
    /// three days and its dashboard resends one for thirty (re-signed, so the tolerance does not stop
    /// it); applying twice would change nothing anyway, the id only saves the work.
    /// </summary>
    public int EventRetentionDays { get; set; } = 35;

    public IEnumerable<string> Validate()
    {
        if (SecretKey is null || !(SecretKey.StartsWith("sk_", StringComparison.Ordinal) || SecretKey.StartsWith("rk_", StringComparison.Ordinal)))
        {
            yield return "Billing:Payments:Stripe:SecretKey must be a Stripe secret (sk_…) or restricted (rk_…) key when the provider is 'stripe'.";
        }

        if (!Uri.TryCreate(ApiBase, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            yield return $"Billing:Payments:Stripe:ApiBase must be an absolute http(s) URL (got '{ApiBase}').";
        }

        if (WebhookSecret is not null && !WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            yield return "Billing:Payments:Stripe:WebhookSecret must be the endpoint's signing secret (whsec_…).";
        }

        if (WebhookToleranceSeconds is < 1 or > 3_600)
        {
            yield return $"Billing:Payments:Stripe:WebhookToleranceSeconds must be 1..3600 (got {WebhookToleranceSeconds}).";
        }

        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            yield return $"Billing:Payments:Stripe:TimeoutSeconds must be 1..{MaxTimeoutSeconds} (got {TimeoutSeconds}).";
        }

        if (EventRetentionDays is < 1 or > 3_650)
        {
            yield return $"Billing:Payments:Stripe:EventRetentionDays must be 1..3650 (got {EventRetentionDays}).";
        }

        if (MaxNetworkRetries is < 0 or > MaxNetworkRetriesLimit)
        {
            yield return $"Billing:Payments:Stripe:MaxNetworkRetries must be 0..{MaxNetworkRetriesLimit} (got {MaxNetworkRetries}).";
        }
    }
}
