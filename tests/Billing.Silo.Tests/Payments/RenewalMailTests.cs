using Billing.Silo.Email;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Email;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Billing.Silo.Tests.Payments.RenewalScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>The customer's mails about renewals, through a real SMTP server: each failure with the next attempt's date, and the lapse.</summary>
public sealed class RenewalMailTests
{
    [Fact]
    public async Task TheCustomerIsToldOfEachFailedRenewalWithTheNextAttemptAndOfTheLapse()
    {
        await using var database = TestDatabase.CreateSqlite();
        using var smtp = new LocalSmtpServer(FreePorts.Next());
        var settings = smtp.Settings();
        settings["Billing:Dunning:RetryDays:0"] = "2";
        await using var silo = CatalogSilo.Start(database, null, Bought, settings);
        var sender = silo.Services.GetRequiredService<EmailSender>();
        var (customerId, _, _) = await SubscribedAsync(silo, "4000000000000341");

        var failed = await AdvanceUntilAsync(silo, customerId, FirstEnd, r => r.GetProperty("attempts").GetInt32() == 1, "first attempt");
        await AdvanceUntilAsync(silo, customerId, failed.GetProperty("next_attempt_at").GetDateTimeOffset(), r => r.GetProperty("status").GetString() == "lapsed", "lapse");
        await Eventually.TrueAsync(
            async () =>
            {
                await sender.SendDueAsync(CancellationToken.None);
                return Renewals(smtp).Count >= 2;
            },
            "the two renewal mails: " + (await silo.GetAsync(silo.Admin, "/api/v1/admin/emails")).GetRawText());

        var mails = Renewals(smtp).OrderBy(m => m.TextBody?.Contains("none: this was the last attempt", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["Renewal of your Monthly plan failed", "Renewal of your Monthly plan failed"], mails.Select(m => m.Subject));
        // The plan ended on 1 December (UTC); the first failure is retried two days later, on the 3rd.
        Assert.Contains("Next attempt: 2026-12-03", mails[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Amount: EUR 15.00", mails[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("which ended on 2026-12-01", mails[1].TextBody, StringComparison.Ordinal);
        Assert.Contains("Next attempt: none: this was the last attempt", mails[1].TextBody, StringComparison.Ordinal);
        Assert.All(mails, m => Assert.Equal("billing@acme.com", m.To.Mailboxes.Single().Address));
    }

    // The shop's November invoice is mailed too as the clock crosses the month's end.
    private static List<MimeKit.MimeMessage> Renewals(LocalSmtpServer smtp) =>
        [.. smtp.Received.Where(m => m.Subject?.StartsWith("Renewal ", StringComparison.Ordinal) == true)];
}
