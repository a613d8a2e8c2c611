namespace Billing.Silo.Payments;

/// <summary>A PayPal order as Orders v2 shows it (the parts used here).</summary>
public sealed record PayPalOrder(string Id, string Status, IReadOnlyList<PayPalLink>? Links, IReadOnlyList<PayPalPurchaseUnit>? PurchaseUnits)
{
    /// <summary>Where the buyer approves the order: <c>payer-action</c> (with a payment source), or <c>approve</c> (without one).</summary>
    public string? ApproveUrl => Links?.FirstOrDefault(l => l.Rel is "payer-action" or "approve")?.Href;

    /// <summary>The order's capture, once it was captured.</summary>
    public PayPalCapture? Capture => PurchaseUnits?.FirstOrDefault()?.Payments?.Captures?.FirstOrDefault();

    public string? CustomId => PurchaseUnits?.FirstOrDefault()?.CustomId;
}

public sealed record PayPalLink(string Href, string Rel, string? Method);

public sealed record PayPalPurchaseUnit(string? CustomId, PayPalAmount? Amount, PayPalPayments? Payments);

public sealed record PayPalAmount(string CurrencyCode, string Value);

public sealed record PayPalPayments(IReadOnlyList<PayPalCapture>? Captures);

public sealed record PayPalCapture(string Id, string Status, PayPalAmount? Amount);

/// <summary>PayPal refused with a documented issue (a 422 such as INSTRUMENT_DECLINED, or 404 for an order it does not have): an answer, not an outage.</summary>
public sealed class PayPalRefusedException(int statusCode, string issue, string message) : Exception(message)
{
    public int StatusCode => statusCode;

    /// <summary>PayPal's issue, e.g. <c>ORDER_NOT_APPROVED</c>, <c>INSTRUMENT_DECLINED</c>, <c>RESOURCE_NOT_FOUND</c>.</summary>
    public string Issue => issue;
}
