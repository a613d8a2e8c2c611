using System.Globalization;
using System.Net;
using System.Text;
using Billing.Domain;
using NodaTime;
using NodaTime.Text;

namespace Billing.Silo.Email;

/// <summary>
/// The mails customers and operators get (seed 004), composed from plain values: no storage, no
/// clock. Each mail is a few paragraphs and a table of facts, written twice from the same texts —
/// HTML (every value encoded) and plain text — so the two never say different things. Amounts are
/// written as <see cref="Money"/> writes them ("EUR 12.10"), dates as ISO 8601.
/// </summary>
public static class EmailTemplates
{
    /// <summary>The issued invoice: a short note, its HTML and CSV renderings attached (as the invoice API serves them).</summary>
    public static OutgoingEmail InvoiceIssued(Invoice invoice, string recipient)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var file = FileStem(invoice.Number);
        return Compose(
            EmailKinds.InvoiceIssued, $"{EmailKinds.InvoiceIssued}:{invoice.Id}", recipient, $"Invoice {invoice.Number} from {invoice.Issuer.Name}",
            [$"Dear {invoice.Customer.Name},", $"Your invoice {invoice.Number} for {invoice.Shop.Name} is attached, as a printable page (HTML) and for your accounts (CSV)."],
            [("Invoice number", invoice.Number), ("Billing period", $"{Date(invoice.Period.Start)} to {Date(invoice.Period.LastDay)}"),
             ("Total", invoice.Priced.Total.ToString()), ("Due date", Date(invoice.DueDate))],
            [PaymentInstruction(invoice), $"Thank you for your business, {invoice.Issuer.Name}"],
            [new($"{file}.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(InvoiceHtmlRenderer.Render(invoice))),
             new($"{file}.csv", "text/csv; charset=utf-8", Encoding.UTF8.GetBytes(InvoiceCsvRenderer.Render(invoice)))]);
    }

    /// <summary>A collection attempt failed; <paramref name="nextRetryDate"/> null: it was the last one. One mail per invoice and attempt.</summary>
    public static OutgoingEmail PaymentFailed(
        string recipient, string customerName, string invoiceId, string invoiceNumber, Money amount, string declineReason, int attempt, LocalDate? nextRetryDate) =>
        Compose(
            EmailKinds.PaymentFailed, $"{EmailKinds.PaymentFailed}:{invoiceId}:{attempt.ToString(CultureInfo.InvariantCulture)}", recipient,
            $"Payment of invoice {invoiceNumber} failed",
            [$"Dear {customerName},", $"We could not collect the payment of invoice {invoiceNumber}."],
            [("Invoice number", invoiceNumber), ("Amount", amount.ToString()), ("Reason", declineReason),
             ("Next attempt", nextRetryDate is { } next ? Date(next) : "none: this was the last attempt")],
            [nextRetryDate is null
                ? "Please pay the invoice or update your payment method; until then your account may be suspended."
                : "Nothing needs doing if your payment method is in order; otherwise please update it before the next attempt."]);

    /// <summary>A payment was received for an invoice. One mail per payment.</summary>
    public static OutgoingEmail PaymentReceived(string recipient, string customerName, string paymentId, string invoiceNumber, Money amount, LocalDate paidOn) =>
        Compose(
            EmailKinds.PaymentReceived, $"{EmailKinds.PaymentReceived}:{paymentId}", recipient, $"Payment received for invoice {invoiceNumber}",
            [$"Dear {customerName},", $"Thank you: we received your payment for invoice {invoiceNumber}."],
            [("Invoice number", invoiceNumber), ("Amount", amount.ToString()), ("Received on", Date(paidOn))],
            []);

    /// <summary>The account is suspended for an unpaid invoice. One mail per customer and invoice.</summary>
    public static OutgoingEmail AccountSuspended(string recipient, string customerName, string customerId, string invoiceId, string invoiceNumber, Money amountDue) =>
        Compose(
            EmailKinds.AccountSuspended, $"{EmailKinds.AccountSuspended}:{customerId}:{invoiceId}", recipient, "Your account is suspended",
            [$"Dear {customerName},", $"Invoice {invoiceNumber} is still unpaid after our last attempt to collect it, so your account is suspended: API calls are refused."],
            [("Invoice number", invoiceNumber), ("Amount due", amountDue.ToString())],
            ["Your account is reinstated as soon as the invoice is paid."]);

    /// <summary>
    /// A recurring plan's renewal charge failed; <paramref name="nextRetryDate"/> null: it was the
    /// last attempt and the plan lapsed. One mail per renewal (customer, period end) and attempt.
    /// </summary>
    public static OutgoingEmail RenewalFailed(
        string recipient, string customerName, string renewalId, string planName, LocalDate periodEnd, Money amount, string declineReason, int attempt, LocalDate? nextRetryDate) =>
        Compose(
            EmailKinds.RenewalFailed, $"{EmailKinds.RenewalFailed}:{renewalId}:{attempt.ToString(CultureInfo.InvariantCulture)}", recipient,
            $"Renewal of your {planName} plan failed",
            [$"Dear {customerName},", $"We could not charge the renewal of your {planName} plan, which ended on {Date(periodEnd)}; its tokens cannot be used until it is renewed."],
            [("Plan", planName), ("Amount", amount.ToString()), ("Reason", declineReason),
             ("Next attempt", nextRetryDate is { } next ? Date(next) : "none: this was the last attempt")],
            [nextRetryDate is null
                ? "The plan will not be renewed again; buy it again whenever you like."
                : "Please update your payment method before the next attempt; the renewal then continues from the plan's end date."]);

    /// <summary>A recurring plan was renewed and paid. One mail per payment.</summary>
    public static OutgoingEmail PlanRenewed(string recipient, string customerName, string paymentId, string planName, Money amount, LocalDate paidOn, LocalDate nextRenewal) =>
        Compose(
            EmailKinds.PaymentReceived, $"{EmailKinds.PaymentReceived}:{paymentId}", recipient, $"Your {planName} plan is renewed",
            [$"Dear {customerName},", $"Thank you: we received your payment for the renewal of your {planName} plan."],
            [("Plan", planName), ("Amount", amount.ToString()), ("Received on", Date(paidOn)), ("Next renewal", Date(nextRenewal))],
            []);

    /// <summary>A cost alert for the operators. One mail per alert (kind, subject and period).</summary>
    public static OutgoingEmail CostAlert(string recipient, Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Compose(
            EmailKinds.CostAlert, $"{EmailKinds.CostAlert}:{alert.Kind}:{alert.Subject}:{alert.PeriodKey}", recipient,
            $"Cost alert: {alert.Kind} for {alert.Subject} in {alert.PeriodKey}",
            [alert.Message],
            [("Alert", alert.Kind), ("Subject", alert.Subject), ("Period", alert.PeriodKey), ("Threshold", alert.Threshold), ("Observed", alert.Observed),
             ("Raised at", InstantPattern.ExtendedIso.Format(alert.RaisedAt))],
            []);
    }

    private static OutgoingEmail Compose(
        string kind, string dedupeKey, string recipient, string subject, string[] intro, (string Label, string Value)[] facts, string[] outro,
        IReadOnlyList<EmailAttachment>? attachments = null)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
            .Append(E(subject)).Append("</title></head>\n<body style=\"font-family: sans-serif\">\n");
        var text = new StringBuilder();
        foreach (var paragraph in intro)
        {
            html.Append("<p>").Append(E(paragraph)).Append("</p>\n");
            text.Append(paragraph).Append("\n\n");
        }

        html.Append("<table>\n");
        foreach (var (label, value) in facts)
        {
            html.Append("<tr><th style=\"text-align: left\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        html.Append("</table>\n");
        foreach (var paragraph in outro)
        {
            html.Append("<p>").Append(E(paragraph)).Append("</p>\n");
            text.Append('\n').Append(paragraph).Append('\n');
        }

        html.Append("</body>\n</html>\n");
        var email = new OutgoingEmail(kind, dedupeKey, recipient, OneLine(subject), html.ToString(), text.ToString(), attachments ?? []);
        email.EnsureBounded();
        return email;
    }

    private static string PaymentInstruction(Invoice invoice) => invoice.Issuer.Iban is not { } iban
        ? $"Please quote invoice number {invoice.Number} with your payment."
        : $"Please pay by bank transfer to {invoice.Issuer.Name}, IBAN {iban.Formatted}"
            + (invoice.Issuer.Bic is { } bic ? $", BIC {bic.Value}" : "")
            + (invoice.PaymentReference is { } reference ? $", quoting the reference {reference.Formatted}." : $", quoting invoice number {invoice.Number}.");

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>A subject is one header line: line breaks in a name must not start another header.</summary>
    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    /// <summary>An invoice number as a file name: letters, digits, '.', '-' and '_' kept, anything else a '-'.</summary>
    private static string FileStem(string number) =>
        string.Concat(number.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-'));
}
