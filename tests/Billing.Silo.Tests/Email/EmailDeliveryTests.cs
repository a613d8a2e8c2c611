using System.Net;
using System.Text;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Alerts;
using Billing.Silo.Email;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Alerts;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using NodaTime;

namespace Billing.Silo.Tests.Email;

/// <summary>Mails through the outbox to a real SMTP server on 127.0.0.1, on both dialects.</summary>
public sealed class EmailDeliveryTests
{
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterNovember = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnIssuedInvoicesMailArrivesOnceWithItsHtmlAndCsvAttached(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        var key = await IssueNovemberInvoiceAsync(silo);
        await BillingScenario.RunAsync(silo, new { period = "2026-11" }); // the same close again: no second mail

        var sender = silo.Services.GetRequiredService<EmailSender>();
        Assert.Equal((1, 0), (await sender.SendDueAsync(CancellationToken.None), await sender.SendDueAsync(CancellationToken.None)));

        var row = Assert.Single(await ListAsync(silo, ""));
        var invoiceId = row.GetProperty("invoice_id").GetString()!;
        Assert.Equal(("invoice_issued", "sent", 1, $"invoice_issued:{invoiceId}"), (row.GetProperty("kind").GetString(), row.GetProperty("status").GetString(), row.GetProperty("attempts").GetInt32(), row.GetProperty("dedupe_key").GetString()));
        var mail = Assert.Single(smtp.Received);
        Assert.Equal($"{row.GetProperty("id").GetString()}@billing.test", mail.MessageId);
        Assert.Equal("billing@acme.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.StartsWith("Invoice INV-2026-000001 from ", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(mail.Subject, row.GetProperty("subject").GetString());
        var attachments = mail.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName!, Content);
        Assert.Equal(["INV-2026-000001.csv", "INV-2026-000001.html"], attachments.Keys.Order(StringComparer.Ordinal));
        using var customer = BillingScenario.Client(silo, key);
        Assert.Equal(await customer.GetStringAsync(new Uri($"/api/v1/billing/invoices/{invoiceId}.html", UriKind.Relative)), attachments["INV-2026-000001.html"]);
        Assert.Equal(await customer.GetStringAsync(new Uri($"/api/v1/billing/invoices/{invoiceId}.csv", UriKind.Relative)), attachments["INV-2026-000001.csv"]);
        Assert.Contains("INV-2026-000001", mail.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AClosingTransactionThatRollsBackQueuesNoMail(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        var shop = await BillingScenario.CustomerAsync(silo, "UTC");
        await BillingScenario.ConsumeAsync(silo, shop.Key, 1);
        await BillingScenario.InjectCrashBeforeInvoiceInsertAsync(silo, dialect, shop.ShopId);
        silo.Time.Advance(AfterNovember - silo.Time.GetUtcNow());

        var crashed = await BillingScenario.RunAsync(silo, new { period = "2026-11" });
        var queued = await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM email_outbox");
        await BillingScenario.ExecuteAsync(silo, "DELETE FROM injected_faults");
        await BillingScenario.RunAsync(silo, new { period = "2026-11" });

        Assert.Equal((1L, 0L), (crashed.GetProperty("failed").GetInt64(), queued));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM email_outbox"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AMailEnqueuedInATransactionThatRollsBackIsNeverSent(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);

        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_rolledback", 1), commit: false));

        Assert.Equal(0, await silo.Services.GetRequiredService<EmailSender>().SendDueAsync(CancellationToken.None));
        Assert.Empty(await ListAsync(silo, ""));
        Assert.Empty(smtp.Received);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnSmtpOutageIsRetriedAfterTheBackOffAndTheMailDeliveredOnce(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect, smtpUp: false);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        var sender = silo.Services.GetRequiredService<EmailSender>();
        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_outage", 1)));

        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None)); // nobody listens
        var afterOutage = Assert.Single(await ListAsync(silo, "?status=pending"));
        smtp.Start();
        var beforeBackOff = await sender.SendDueAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        var afterBackOff = await sender.SendDueAsync(CancellationToken.None);

        Assert.Equal(1, afterOutage.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(afterOutage.GetProperty("last_error").GetString()));
        Assert.Equal(MidNovember.AddSeconds(10), afterOutage.GetProperty("next_attempt_at").GetDateTimeOffset());
        Assert.Equal((0, 1), (beforeBackOff, afterBackOff));
        Assert.Equal("Payment of invoice INV-2026-000007 failed", Assert.Single(smtp.Received).Subject);
        var sent = Assert.Single(await ListAsync(silo, "?status=sent"));
        Assert.Equal((2, JsonValueKind.Null), (sent.GetProperty("attempts").GetInt32(), sent.GetProperty("last_error").ValueKind));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AfterMaxAttemptsTheMailIsFailedLoggedAndListedByTheAdminApi(string dialect)
    {
        var logs = new CapturedLogs();
        await using var scenario = await EmailScenario.StartAsync(
            dialect, smtpUp: false, settings => settings["Billing:Email:MaxAttempts"] = "2", services => services.AddSingleton<ILoggerProvider>(logs));
        var silo = scenario.Silo;
        var sender = silo.Services.GetRequiredService<EmailSender>();
        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_dead_server", 1)));

        await sender.SendDueAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await sender.SendDueAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromDays(1));
        var afterGivingUp = await sender.SendDueAsync(CancellationToken.None);

        Assert.Equal(0, afterGivingUp);
        var failed = Assert.Single(await ListAsync(silo, "?status=failed&limit=10"));
        Assert.Equal(("payment_failed", 2, "payment_failed:inv_dead_server:1"), (failed.GetProperty("kind").GetString(), failed.GetProperty("attempts").GetInt32(), failed.GetProperty("dedupe_key").GetString()));
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("last_error").GetString()));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("next_attempt_at").ValueKind);
        Assert.False(failed.TryGetProperty("html_body", out _));
        Assert.Empty(await ListAsync(silo, "?status=pending"));
        Assert.Contains(failed.GetProperty("id").GetString()!, Assert.Single(logs.MessagesOf(11002)), StringComparison.Ordinal);
        await silo.GetAsync(silo.Admin, "/api/v1/admin/emails?status=lost", HttpStatusCode.BadRequest);
        await silo.GetAsync(silo.CreateClient(), "/api/v1/admin/emails", HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TwoSendersOnOneDatabaseSendEachMailOnce(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect, settings: settings => settings["Billing:Email:BatchSize"] = "3");
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await EnqueueAsync(silo, PaymentFailed($"inv_two_senders_{i}", 1)));
        }

        // A second sender as another silo would have: its own claim token, the same table.
        var senders = new[] { silo.Services.GetRequiredService<EmailSender>(), ActivatorUtilities.CreateInstance<EmailSender>(silo.Services) };
        for (var round = 0; round < 10 && smtp.Received.Count < 10; round++)
        {
            await Task.WhenAll(senders.Select(s => s.SendDueAsync(CancellationToken.None)));
        }

        Assert.Equal(10, smtp.Received.Count);
        Assert.Equal(10, smtp.Received.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(10, (await ListAsync(silo, "?status=sent")).Count);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AMailHeldByADeadSenderIsSentAfterItsLeaseUnderTheSameMessageId(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        var sender = silo.Services.GetRequiredService<EmailSender>();
        var leaseMs = silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.ClaimLeaseMs;
        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_crash", 1)));
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));

        // What a crash after the SMTP server accepted the mail, before it was marked sent, leaves: the row pending under a dead sender's claim.
        var nowMs = silo.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await BillingScenario.ExecuteAsync(silo, $"UPDATE email_outbox SET status = 'pending', sent_at_ms = NULL, claim_token = 'dead-sender', claimed_until_ms = {nowMs + leaseMs}");
        var whileHeld = await sender.SendDueAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromMilliseconds(leaseMs));
        var afterLease = await sender.SendDueAsync(CancellationToken.None);

        Assert.Equal((0, 1), (whileHeld, afterLease));
        Assert.Equal(2, smtp.Received.Count);
        Assert.Single(smtp.Received.Select(m => m.MessageId).Distinct(StringComparer.Ordinal));
        Assert.Equal("sent", Assert.Single(await ListAsync(silo, "")).GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACostAlertQueuesOneMailToTheOperatorsInItsTransaction(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect);
        var (smtp, silo) = (scenario.Smtp, scenario.Silo);
        var alerts = silo.Services.GetRequiredService<AlertStore>();
        var alert = new Alert(AlertKinds.CostDaily, AlertKinds.PlatformSubject, "2026-11-21", "EUR 100.00", "EUR 100.01", "Platform cost EUR 100.01 reached the daily threshold of EUR 100.00", Instant.FromDateTimeOffset(MidNovember));
        var token = new Alert("token_80", "cus_0123456789abcdefghij", "grant-1", "80% of 10 tokens", "8 tokens", "80% used", Instant.FromDateTimeOffset(MidNovember));

        Assert.Equal((true, false, true), (await alerts.RecordAsync(alert, CancellationToken.None), await alerts.RecordAsync(alert, CancellationToken.None), await alerts.RecordAsync(token, CancellationToken.None)));
        await silo.Services.GetRequiredService<EmailSender>().SendDueAsync(CancellationToken.None);

        var row = Assert.Single(await ListAsync(silo, ""));
        Assert.Equal(("cost_alert", "ops@billing.test", "sent"), (row.GetProperty("kind").GetString(), row.GetProperty("recipient").GetString(), row.GetProperty("status").GetString()));
        Assert.Equal("Cost alert: cost_daily for platform in 2026-11-21", Assert.Single(smtp.Received).Subject);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task WithEmailOffNothingIsQueued(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect, settings: settings => settings.Clear());
        var silo = scenario.Silo;
        await IssueNovemberInvoiceAsync(silo);
        var alert = new Alert(AlertKinds.CostWeekly, AlertKinds.PlatformSubject, "2026-W47", "EUR 500.00", "EUR 501.00", "Weekly cost", Instant.FromDateTimeOffset(MidNovember));
        await silo.Services.GetRequiredService<AlertStore>().RecordAsync(alert, CancellationToken.None);

        Assert.False(await EnqueueAsync(silo, PaymentFailed("inv_off", 1)));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM email_outbox"));
        Assert.Equal(0, await silo.Services.GetRequiredService<EmailSender>().SendDueAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ASentMailIsDeletedAfterTheRetentionDaysWhileAnUnsentOneStays(string dialect)
    {
        await using var scenario = await EmailScenario.StartAsync(dialect, smtpUp: true, settings => settings["Billing:Email:RetentionDays"] = "30");
        var silo = scenario.Silo;
        var sender = silo.Services.GetRequiredService<EmailSender>();
        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_old", 1)));
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));
        Assert.True(await EnqueueAsync(silo, PaymentFailed("inv_unsent", 1)));

        silo.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMilliseconds(1));
        var withinRetention = await sender.PurgeExpiredAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromMilliseconds(2));
        var afterRetention = await sender.PurgeExpiredAsync(CancellationToken.None);

        Assert.Equal((0, 1), (withinRetention, afterRetention));
        var left = Assert.Single(await ListAsync(silo, ""));
        Assert.Equal(("payment_failed:inv_unsent:1", "pending"), (left.GetProperty("dedupe_key").GetString(), left.GetProperty("status").GetString()));
    }

    /// <summary>A customer (billing@acme.com) with a shop and two calls in November, closed by a billing run; answers the shop's API key.</summary>
    private static async Task<string> IssueNovemberInvoiceAsync(CatalogSilo silo)
    {
        var shop = await BillingScenario.CustomerAsync(silo, "UTC");
        await BillingScenario.ConsumeAsync(silo, shop.Key, 2);
        silo.Time.Advance(AfterNovember - silo.Time.GetUtcNow());
        var run = await BillingScenario.RunAsync(silo, new { period = "2026-11" });
        Assert.Equal(1, run.GetProperty("invoices_issued").GetInt64());
        return shop.Key;
    }

    private static OutgoingEmail PaymentFailed(string invoiceId, int attempt) =>
        EmailTemplates.PaymentFailed("billing@acme.com", "Acme", invoiceId, "INV-2026-000007", new Money(12.10m, Currency.EUR), "insufficient_funds", attempt, new LocalDate(2026, 12, 4));

    /// <summary>Queues a mail in a transaction of its own, committed or rolled back.</summary>
    private static Task<bool> EnqueueAsync(CatalogSilo silo, OutgoingEmail email, bool commit = true) =>
        silo.Services.GetRequiredService<SqlDatabase>().WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var queued = await silo.Services.GetRequiredService<EmailOutbox>().EnqueueAsync(connection, transaction, email, ct);
                await (commit ? transaction.CommitAsync(ct) : transaction.RollbackAsync(ct));
                return queued;
            },
            CancellationToken.None);

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(CatalogSilo silo, string query) =>
        [.. (await silo.GetAsync(silo.Admin, "/api/v1/admin/emails" + query)).GetProperty("emails").EnumerateArray()];

    private static string Content(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A throwaway database, an SMTP server on 127.0.0.1 (up or not yet) and a silo mailing to it, whose periods close through billing runs.</summary>
    private sealed class EmailScenario : IAsyncDisposable
    {
        private EmailScenario(TestDatabase database, LocalSmtpServer smtp, CatalogSilo silo) => (Database, Smtp, Silo) = (database, smtp, silo);

        public TestDatabase Database { get; }

        public LocalSmtpServer Smtp { get; }

        public CatalogSilo Silo { get; }

        public static async Task<EmailScenario> StartAsync(
            string dialect, bool smtpUp = true, Action<Dictionary<string, string>>? settings = null, Action<IServiceCollection>? configure = null)
        {
            var database = await TestDatabase.CreateAsync(dialect);
            var smtp = new LocalSmtpServer(FreePorts.Next(), smtpUp);
            var email = smtp.Settings();
            settings?.Invoke(email);
            var silo = CatalogSilo.Start(
                database,
                services =>
                {
                    services.Configure<BillingRunOptions>(o => o.RetryDelayMs = 0);
                    configure?.Invoke(services);
                },
                MidNovember,
                BillingScenario.RunsOnly.Concat(email).ToDictionary());
            return new EmailScenario(database, smtp, silo);
        }

        public async ValueTask DisposeAsync()
        {
            await Silo.DisposeAsync();
            Smtp.Dispose();
            await Database.DisposeAsync();
        }
    }
}
