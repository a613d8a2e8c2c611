using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Billing.Domain.Payments;

/// <summary>
/// The idempotency key sent with a charge, derived from what is paid so that a retried request
/// (after a timeout, a silo restart, a duplicated reminder) reuses the key and the provider
/// charges at most once: <c>billing:{subject}:{id}:attempt:{n}</c>, e.g.
/// <c>billing:invoice:inv_42:attempt:1</c>. A new dunning attempt has a new number and so a new key.
/// The parts cannot contain ':' (or anything outside a small safe set), so two different
/// (subject, id, attempt) triples never spell the same key; the key stays far below the
/// provider's limit of <see cref="MaxLength"/> characters.
/// </summary>
public readonly record struct PaymentIdempotencyKey
{
    /// <summary>Stripe accepts idempotency keys of up to 255 characters.</summary>
    public const int MaxLength = 255;
    public const int MaxSubjectLength = 32;
    public const int MaxIdLength = 128;
    public const int MaxAttempt = 1_000;

    public const string InvoiceSubject = "invoice";

    /// <summary>A refund: the money a credit note gives back (<c>billing:credit_note:{id}:attempt:1</c>).</summary>
    public const string CreditNoteSubject = "credit_note";

    /// <summary>A recurring plan's renewal: <c>billing:renewal:{customer}.{period end, Unix ms}:attempt:{n}</c>.</summary>
    public const string RenewalSubject = "renewal";

    private const string Prefix = "billing";

    private readonly string? value;

    private PaymentIdempotencyKey(string key)
    {
        if (key.Length > MaxLength)
        {
            throw new InvariantViolationException($"An idempotency key has {key.Length} characters; the provider accepts {MaxLength}.");
        }

        value = key;
    }

    public string Value => value ?? throw new InvariantViolationException("default(PaymentIdempotencyKey) has no value; use PaymentIdempotencyKey.Create.");

    /// <summary>The key for attempt <paramref name="attempt"/> (from 1) of paying invoice <paramref name="invoiceId"/>.</summary>
    public static PaymentIdempotencyKey ForInvoice(string invoiceId, int attempt) => Create(InvoiceSubject, invoiceId, attempt);

    /// <summary>The key of the refund that credit note <paramref name="creditNoteId"/> gives back: one refund per note.</summary>
    public static PaymentIdempotencyKey ForCreditNote(string creditNoteId) => Create(CreditNoteSubject, creditNoteId, attempt: 1);

    /// <summary>The key of attempt <paramref name="attempt"/> to renew <paramref name="customerId"/>'s period that ends at <paramref name="periodEndMs"/>.</summary>
    public static PaymentIdempotencyKey ForRenewal(string customerId, long periodEndMs, int attempt) =>
        Create(RenewalSubject, customerId + "." + periodEndMs.ToString(CultureInfo.InvariantCulture), attempt);

    /// <summary>Throws <see cref="ArgumentException"/> with the reason <see cref="TryCreate"/> gives.</summary>
    public static PaymentIdempotencyKey Create(string subject, string id, int attempt) =>
        TryCreate(subject, id, attempt, out var key, out var reason) ? key : throw new ArgumentException(reason);

    /// <summary>
    /// <paramref name="subject"/>: 1..<see cref="MaxSubjectLength"/> lower-case ASCII letters and '_'
    /// ("invoice"); <paramref name="id"/>: 1..<see cref="MaxIdLength"/> ASCII letters, digits,
    /// '-', '_' and '.'; <paramref name="attempt"/>: 1..<see cref="MaxAttempt"/>.
    /// </summary>
    public static bool TryCreate(string? subject, string? id, int attempt, out PaymentIdempotencyKey key, [NotNullWhen(false)] out string? reason)
    {
        key = default;
        reason = PartProblem("subject", subject, MaxSubjectLength, static c => c is (>= 'a' and <= 'z') or '_', "lower-case letters and '_'")
            ?? PartProblem("id", id, MaxIdLength, static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.', "letters, digits, '-', '_' and '.'")
            ?? (attempt is < 1 or > MaxAttempt ? $"idempotency key attempt must be 1 to {MaxAttempt} (got {attempt})" : null);
        if (reason is not null)
        {
            return false;
        }

        key = new PaymentIdempotencyKey(
            $"{Prefix}:{subject}:{id}:attempt:{attempt.ToString(CultureInfo.InvariantCulture)}");
        return true;
    }

    /// <summary>The parts of a key <see cref="TryCreate"/> made (e.g. read back from a provider's metadata); false for any other text.</summary>
    public static bool TryRead(string? text, [NotNullWhen(true)] out string? subject, [NotNullWhen(true)] out string? id, out int attempt)
    {
        (subject, id, attempt) = (null, null, 0);
        var parts = text?.Split(':');
        if (parts is not [Prefix, var s, var i, "attempt", var n]
            || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !TryCreate(s, i, a, out var rebuilt, out _)
            || rebuilt.Value != text)
        {
            return false;
        }

        (subject, id, attempt) = (s, i, a);
        return true;
    }

    public override string ToString() => value ?? "(no idempotency key)";

    private static string? PartProblem(string part, string? text, int maxLength, Func<char, bool> allowed, string allowedText)
    {
        if (string.IsNullOrEmpty(text))
        {
            return $"idempotency key {part} is required";
        }

        if (text.Length > maxLength)
        {
            return $"idempotency key {part} must be at most {maxLength} characters (got {text.Length})";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!allowed(text[i]))
            {
                return $"idempotency key {part} may only contain {allowedText}; the character at position {i + 1} is not allowed";
            }
        }

        return null;
    }
}
