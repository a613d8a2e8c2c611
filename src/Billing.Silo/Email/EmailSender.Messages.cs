using Billing.Domain;
using Billing.Silo.Invoicing;
using MimeKit;

namespace Billing.Silo.Email;

/// <summary>The MIME message of a claimed mail: as stored, or an invoice's composed from the invoice as stored.</summary>
public sealed partial class EmailSender
{
    /// <summary>The message, or why it can not be composed (a missing invoice, a malformed address): a failed attempt like any other.</summary>
    private async Task<(MimeMessage? Message, string? Failure)> ComposeAsync(ClaimedEmail email, long nowMs, CancellationToken cancellationToken)
    {
        try
        {
            return await ComposeOrThrowAsync(email, nowMs, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{error.GetType().Name}: {error.Message}");
        }
    }

    private async Task<(MimeMessage? Message, string? Failure)> ComposeOrThrowAsync(ClaimedEmail email, long nowMs, CancellationToken cancellationToken)
    {
        var content = email;
        if (email.InvoiceId is { } invoiceId)
        {
            var document = await invoices.InvoiceAsync(invoiceId, cancellationToken);
            if (document is null)
            {
                return (null, $"invoice {invoiceId} not found");
            }

            var composed = EmailTemplates.InvoiceIssued(InvoiceDocuments.ToDomain(document), email.Recipient);
            content = email with { Subject = composed.Subject, HtmlBody = composed.HtmlBody, TextBody = composed.TextBody, AttachmentsJson = null };
            return (Message(content, composed.Attachments, nowMs), null);
        }

        return (Message(content, content.Attachments, nowMs), null);
    }

    private MimeMessage Message(ClaimedEmail email, IReadOnlyList<EmailAttachment> attachments, long nowMs)
    {
        var body = new BodyBuilder { HtmlBody = email.HtmlBody, TextBody = email.TextBody };
        foreach (var attachment in attachments)
        {
            // Base64, so the file arrives byte for byte: text parts would have their line ends rewritten on the way.
            var part = (MimePart)body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            part.ContentTransferEncoding = ContentEncoding.Base64;
        }

        var message = new MimeMessage
        {
            // The table's CHECK: a row without an invoice carries its subject and bodies.
            Subject = email.Subject ?? throw new InvariantViolationException($"Mail {email.Id} has no subject."),
            MessageId = $"{email.Id}@{settings.MessageIdDomain}",
            Date = DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
            Body = body.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress!));
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        return message;
    }
}
