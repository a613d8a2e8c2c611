using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Email;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.Email;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Billing.Silo.Tests.Payments.CollectionScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>The customer's mails about dunning, through a real SMTP server: payment failed with the retry's date, account suspended, payment received.</summary>
public sealed class DunningMailTests
{
    [Fact]
    public async Task TheCustomerIsToldOfEachFailureWithTheRetryDateOfTheSuspensionAndOfThePayment()
    {
        await using var database = TestDatabase.CreateSqlite();
        using var smtp = new LocalSmtpServer(FreePorts.Next());
        var settings = smtp.Settings();
        settings["Billing:Dunning:RetryDays:0"] = "2";
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, settings);
        var sender = silo.Services.GetRequiredService<EmailSender>();
        var (_, key, invoiceId) = await InvoicedAsync(silo, Card("4000000000000341"));

        var first = await AttemptsMadeAsync(silo, invoiceId, 1);
        silo.Time.Advance(first.GetProperty("next_attempt_at").GetDateTimeOffset() - silo.Time.GetUtcNow());
        await AttemptsMadeAsync(silo, invoiceId, 2);
        using var client = BillingScenario.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Card("4242424242424242")), HttpStatusCode.Created);
        await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/invoices/{invoiceId}/pay", UriKind.Relative), null), HttpStatusCode.OK);
        // The sender's own poll runs on the test clock too, and may have sent some as the clock moved on.
        await Eventually.TrueAsync(
            async () =>
            {
                await sender.SendDueAsync(CancellationToken.None);
                return smtp.Received.Count >= 4;
            },
            "the invoice's, the failure's, the suspension's and the payment's mails: " + (await silo.GetAsync(silo.Admin, "/api/v1/admin/emails")).GetRawText());
        Assert.Equal(4, smtp.Received.Count);

        // Sorted by subject: the suspension's and the payment's mails are queued at the same instant.
        var mails = smtp.Received.Where(m => m.Subject?.StartsWith("Invoice ", StringComparison.Ordinal) == false).OrderBy(m => m.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["Payment of invoice INV-2026-000001 failed", "Payment received for invoice INV-2026-000001", "Your account is suspended"],
            mails.Select(m => m.Subject));
        Assert.All(mails, m => Assert.Equal("billing@acme.com", m.To.Mailboxes.Single().Address));
        // Failed at 01:00 on 1 December in Amsterdam: retried two days later, on the 3rd.
        Assert.Contains("2026-12-03", mails[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("0.04", mails[1].TextBody, StringComparison.Ordinal);
    }
}
