using System.Text;
using Billing.Domain;
using Billing.Silo.Email;
using Billing.Silo.Tests.Closing;
using NodaTime;

namespace Billing.Silo.Tests.Email;

/// <summary>The mails as composed: encoded HTML, the same facts in plain text, exact amounts, the invoice's renderings attached.</summary>
public sealed class EmailTemplatesTests
{
    private static readonly Invoice Issued = InvoiceDocumentBankTests.Issued;

    [Fact]
    public void TheInvoiceMailStatesTheExactTotalAndAttachesTheInvoicesHtmlAndCsv()
    {
        var mail = EmailTemplates.InvoiceIssued(Issued, "billing@acme.com");

        Assert.Equal(("invoice_issued", "invoice_issued:inv_0123456789abcdefghij", "Invoice INV-2026-000042 from Billing.Orleans BV"), (mail.Kind, mail.DedupeKey, mail.Subject));
        Assert.Contains("<p>Dear Acme,</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<tr><th style=\"text-align: left\">Total</th><td>EUR 12.10</td></tr>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Dear Acme,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Total: EUR 12.10\n", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Billing period: 2026-11-01 to 2026-11-30\n", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("IBAN NL91 ABNA 0417 1643 00, BIC ABNANL2A, quoting the reference RF54 INV2 0260 0004 2.", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(["INV-2026-000042.html", "INV-2026-000042.csv"], mail.Attachments.Select(a => a.FileName));
        Assert.Equal(InvoiceHtmlRenderer.Render(Issued), Encoding.UTF8.GetString(mail.Attachments[0].Content));
        Assert.Equal(InvoiceCsvRenderer.Render(Issued), Encoding.UTF8.GetString(mail.Attachments[1].Content));
        Assert.Equal(("text/html; charset=utf-8", "text/csv; charset=utf-8"), (mail.Attachments[0].ContentType, mail.Attachments[1].ContentType));
    }

    [Fact]
    public void APaymentFailedMailStatesTheAmountTheReasonAndTheNextRetryDate()
    {
        var retried = EmailTemplates.PaymentFailed("a@b.example", "Smith & <Sons>", "inv_1", "INV-2026-000001", new Money(1234.5m, Currency.EUR), "card <declined>", 2, new LocalDate(2026, 12, 4));
        var last = EmailTemplates.PaymentFailed("a@b.example", "Acme", "inv_1", "INV-2026-000001", new Money(0.005m, Currency.EUR), "insufficient_funds", 4, null);

        Assert.Equal("payment_failed:inv_1:2", retried.DedupeKey);
        Assert.Contains("Amount: EUR 1234.50\nReason: card <declined>\nNext attempt: 2026-12-04\n", retried.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td>card &lt;declined&gt;</td>", retried.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<p>Dear Smith &amp; &lt;Sons&gt;,</p>", retried.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Sons>", retried.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Dear Smith & <Sons>,\n", retried.TextBody, StringComparison.Ordinal);
        Assert.Contains("Amount: EUR 0.005\n", last.TextBody, StringComparison.Ordinal);
        Assert.Contains("Next attempt: none: this was the last attempt\n", last.TextBody, StringComparison.Ordinal);
        Assert.Equal("payment_failed:inv_1:4", last.DedupeKey);
    }

    [Fact]
    public void PaymentReceivedAndSuspensionMailsAreKeyedByTheirFact()
    {
        var received = EmailTemplates.PaymentReceived("a@b.example", "Acme", "pay_9", "INV-2026-000001", new Money(12.10m, Currency.EUR), new LocalDate(2026, 12, 3));
        var suspended = EmailTemplates.AccountSuspended("a@b.example", "Acme", "cus_1", "inv_1", "INV-2026-000001", new Money(12.10m, Currency.EUR));

        Assert.Equal(("payment_received:pay_9", "Payment received for invoice INV-2026-000001"), (received.DedupeKey, received.Subject));
        Assert.Contains("Amount: EUR 12.10\nReceived on: 2026-12-03\n", received.TextBody, StringComparison.Ordinal);
        Assert.Equal(("account_suspended:cus_1:inv_1", "Your account is suspended"), (suspended.DedupeKey, suspended.Subject));
        Assert.Contains("Amount due: EUR 12.10\n", suspended.TextBody, StringComparison.Ordinal);
        Assert.Empty(received.Attachments);
    }

    [Fact]
    public void ACostAlertMailNamesTheRuleThePeriodAndTheFiguresAndKeepsTheSubjectOnOneLine()
    {
        var alert = new Alert("cost_customer_daily", "cus_x\r\nBcc: evil@example.com", "2026-11-21", "EUR 50.00", "EUR 50.01", "Customer cost <high>", Instant.FromUtc(2026, 11, 21, 12, 0));

        var mail = EmailTemplates.CostAlert("ops@billing.test", alert);

        Assert.Equal("Cost alert: cost_customer_daily for cus_x  Bcc: evil@example.com in 2026-11-21", mail.Subject);
        Assert.Contains("Threshold: EUR 50.00\nObserved: EUR 50.01\nRaised at: 2026-11-21T12:00:00Z\n", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Customer cost &lt;high&gt;</p>", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void AMailBeyondItsBoundsIsRefused()
    {
        var mail = EmailTemplates.PaymentReceived("a@b.example", "Acme", "pay_9", "INV-1", new Money(1m, Currency.EUR), new LocalDate(2026, 12, 3));

        Assert.Throws<ArgumentException>(() => (mail with { Attachments = [new("big.bin", "application/octet-stream", new byte[OutgoingEmail.MaxAttachmentBytes + 1])] }).EnsureBounded());
        Assert.Throws<ArgumentException>(() => (mail with { Recipient = "nobody" }).EnsureBounded());
        Assert.Throws<ArgumentException>(() => (mail with { DedupeKey = new string('k', OutgoingEmail.MaxDedupeKeyLength + 1) }).EnsureBounded());
    }
}
