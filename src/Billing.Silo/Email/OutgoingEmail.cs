namespace Billing.Silo.Email;

/// <summary>A file sent with a mail, e.g. an invoice's HTML or CSV.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// A mail to queue: <see cref="DedupeKey"/> names the fact it reports (<c>invoice_issued:{id}</c>,
/// <c>payment_failed:{invoice id}:{attempt}</c>), so the same fact never queues it twice.
/// <see cref="EmailTemplates"/> composes them; <see cref="EmailOutbox.EnqueueAsync"/> queues them.
/// </summary>
public sealed record OutgoingEmail(
    string Kind, string DedupeKey, string Recipient, string Subject, string HtmlBody, string TextBody, IReadOnlyList<EmailAttachment> Attachments)
{
    public const int MaxKindLength = 40;
    public const int MaxDedupeKeyLength = 200;
    public const int MaxRecipientLength = 254;
    public const int MaxSubjectLength = 300;
    public const int MaxBodyChars = 500_000;
    public const int MaxAttachments = 5;

    /// <summary>All attachments together, before base64: an invoice's HTML and CSV are a few kilobytes.</summary>
    public const int MaxAttachmentBytes = 2 * 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> for a mail that breaks a bound: a caller's mistake, not a customer's.</summary>
    public void EnsureBounded()
    {
        Check(Kind is { Length: > 0 and <= MaxKindLength }, "kind", $"1..{MaxKindLength} characters");
        Check(DedupeKey is { Length: > 0 and <= MaxDedupeKeyLength }, "dedupe key", $"1..{MaxDedupeKeyLength} characters");
        Check(Recipient is { Length: > 2 and <= MaxRecipientLength } && Recipient.Contains('@', StringComparison.Ordinal), "recipient", "an e-mail address");
        Check(Subject is { Length: > 0 and <= MaxSubjectLength } && !Subject.Any(char.IsControl), "subject", $"1..{MaxSubjectLength} characters on one line");
        Check(HtmlBody.Length <= MaxBodyChars && TextBody.Length <= MaxBodyChars, "bodies", $"at most {MaxBodyChars} characters each");
        Check(Attachments.Count <= MaxAttachments, "attachments", $"at most {MaxAttachments}");
        Check(Attachments.Sum(a => (long)a.Content.Length) <= MaxAttachmentBytes, "attachments", $"at most {MaxAttachmentBytes} bytes together");
    }

    private void Check(bool holds, string what, string bound)
    {
        if (!holds)
        {
            throw new ArgumentException($"A {Kind} mail's {what} must be {bound}.");
        }
    }
}

/// <summary>The kinds of mail, as stored and listed.</summary>
public static class EmailKinds
{
    public const string InvoiceIssued = "invoice_issued";
    public const string PaymentFailed = "payment_failed";
    public const string PaymentReceived = "payment_received";
    public const string AccountSuspended = "account_suspended";
    public const string CostAlert = "cost_alert";
    public const string RenewalFailed = "renewal_failed";
}

/// <summary>Where a mail is in its life, as stored and listed.</summary>
public static class EmailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public static bool IsKnown(string? status) => status is Pending or Sent or Failed;
}
