namespace Billing.Domain.Payments;

/// <summary>Where a sandbox attempt ends, as Stripe's PaymentIntent would report it.</summary>
public enum SandboxPaymentStatus
{
    Succeeded,

    /// <summary>The customer must authenticate (3-D Secure) before the payment can go on.</summary>
    RequiresAction,

    Declined,
}

/// <summary>
/// What the offline sandbox provider answers for one attempt — attaching a card, charging it or
/// debiting an IBAN — with the codes Stripe's test mode gives for the same test details, so code
/// written against the sandbox meets the values it will meet in production. <see cref="Code"/> is
/// Stripe's error code (<c>card_declined</c>, <c>authentication_required</c>) or, for a failed SEPA
/// debit, its failure code; <see cref="DeclineCode"/> is the card issuer's reason as Stripe names it
/// (<c>generic_decline</c>, <c>insufficient_funds</c>, …). The name says card; SEPA debits use it too.
/// </summary>
public readonly record struct SandboxCardOutcome
{
    public const string CardDeclined = "card_declined";
    public const string AuthenticationRequired = "authentication_required";

    private SandboxCardOutcome(SandboxPaymentStatus status, string? code, string? declineCode)
    {
        Status = status;
        Code = code;
        DeclineCode = declineCode;
    }

    public static SandboxCardOutcome Succeeded { get; } = new(SandboxPaymentStatus.Succeeded, null, null);

    /// <summary>3-D Secure is needed; the PaymentIntent waits in <c>requires_action</c>.</summary>
    public static SandboxCardOutcome RequiresAuthentication { get; } =
        new(SandboxPaymentStatus.RequiresAction, AuthenticationRequired, null);

    public SandboxPaymentStatus Status { get; }

    /// <summary>Null when the attempt succeeded.</summary>
    public string? Code { get; }

    /// <summary>Only for declined cards; null otherwise.</summary>
    public string? DeclineCode { get; }

    /// <summary>A card the issuer declined: error code <c>card_declined</c> with <paramref name="declineCode"/>.</summary>
    public static SandboxCardOutcome CardDeclinedWith(string declineCode) =>
        new(SandboxPaymentStatus.Declined, CardDeclined, declineCode);

    /// <summary>A debit the bank refused, with Stripe's <c>failure_code</c> for it.</summary>
    public static SandboxCardOutcome DebitFailedWith(string failureCode) =>
        new(SandboxPaymentStatus.Declined, failureCode, null);

    public override string ToString() => Status switch
    {
        SandboxPaymentStatus.Succeeded => "succeeded",
        _ when DeclineCode is null => $"{Status}: {Code}",
        _ => $"{Status}: {Code} ({DeclineCode})",
    };
}
