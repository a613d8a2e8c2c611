namespace Billing.Silo.Payments;

/// <summary>
/// PayPal's REST app and where it sends the buyer back (section <c>Billing:Payments:PayPal</c>).
/// PayPal is offered beside the card provider whatever <see cref="PaymentOptions.Provider"/> says,
/// and only when both <see cref="ClientId"/> and <see cref="ClientSecret"/> are set.
/// </summary>
public sealed class PayPalProviderOptions
{
    public const int MaxTimeoutSeconds = 120;
    public const int MaxNetworkRetriesLimit = 5;
    public const int MaxUrlLength = 2_000;

    /// <summary>The REST app's client id (developer.paypal.com, Apps &amp; Credentials).</summary>
    public string? ClientId { get; set; }

    /// <summary>The REST app's secret; from a secret store, never from appsettings.json.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>PayPal's sandbox (the default), <c>https://api-m.paypal.com</c> when live, or a stand-in of it (tests).</summary>
    public string ApiBase { get; set; } = "https://api-m.sandbox.paypal.com";

    /// <summary>Where PayPal sends the buyer after approving (it adds <c>?token=&lt;order id&gt;</c>): normally <c>…/api/v1/billing/paypal/return</c>.</summary>
    public string? ReturnUrl { get; set; }

    /// <summary>Where PayPal sends the buyer who cancels (it adds <c>?token=&lt;order id&gt;</c>): normally <c>…/api/v1/billing/paypal/cancel</c>.</summary>
    public string? CancelUrl { get; set; }

    /// <summary>Per request to PayPal, each retry included.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>A failed connection, a timeout or a 5xx is asked again this many times, under the same PayPal-Request-Id.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    public bool IsConfigured => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
        {
            yield return "Billing:Payments:PayPal:ClientId and ClientSecret are set together (PayPal is offered when both are) or not at all.";
        }

        if (!IsHttpUrl(ApiBase))
        {
            yield return $"Billing:Payments:PayPal:ApiBase must be an absolute http(s) URL (got '{ApiBase}').";
        }

        if (IsConfigured && !IsHttpUrl(ReturnUrl))
        {
            yield return "Billing:Payments:PayPal:ReturnUrl must be an absolute http(s) URL when PayPal is configured (where PayPal sends the buyer back: …/api/v1/billing/paypal/return).";
        }

        if (IsConfigured && !IsHttpUrl(CancelUrl))
        {
            yield return "Billing:Payments:PayPal:CancelUrl must be an absolute http(s) URL when PayPal is configured (…/api/v1/billing/paypal/cancel).";
        }

        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            yield return $"Billing:Payments:PayPal:TimeoutSeconds must be 1..{MaxTimeoutSeconds} (got {TimeoutSeconds}).";
        }

        if (MaxNetworkRetries is < 0 or > MaxNetworkRetriesLimit)
        {
            yield return $"Billing:Payments:PayPal:MaxNetworkRetries must be 0..{MaxNetworkRetriesLimit} (got {MaxNetworkRetries}).";
        }
    }

    private static bool IsHttpUrl(string? text) =>
        text is { Length: <= MaxUrlLength } && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
