using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Kill -9 the silo process while Stripe has taken an invoice's money and the silo has not yet
/// read the answer, restart it on the same PostgreSQL database, and check that the invoice is paid
/// once and charged once: reconciled by the collection sweep asking Stripe again under the same
/// idempotency key, or by Stripe's signed webhook.
/// </summary>
/// <remarks>
/// A silo in the test process (manual clock) sets the customer up in last month: saved card, 3
/// calls. The silo processes run on real time: one bills last month (the invoice is issued and its
/// collection charges the card at the stand-in, which holds the answer) and is killed; another
/// starts where it ran.
/// </remarks>
public sealed class CollectionCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("sweep")]
    [InlineData("webhook")]
    public async Task ASiloKilledAfterStripeTookTheMoneyPaysTheInvoiceOnceAndIsChargedOnceAfterRestart(string recovery)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = await TestDatabase.CreatePostgresAsync();
        var (beforeMonthEnd, period) = LastMonthEnd(TimeProvider.System.GetUtcNow());
        output.WriteLine($"recovery {recovery}; customer set up at {beforeMonthEnd:o}, billing {period}; stand-in {stripe.ApiBase}; database {database.ConnectionString}");
        var (shopId, key) = await SetUpAsync(database, stripe, beforeMonthEnd);
        var workingDirectory = Directory.CreateTempSubdirectory("billing-collection-crash-").FullName;
        var environment = Environment(database, stripe);
        var port = SiloProcess.FreePort();
        string invoiceId;

        using (var silo = SiloProcess.Start(workingDirectory, environment, port))
        {
            try
            {
                Assert.Equal(HttpStatusCode.OK, await silo.WaitHealthyAsync(StartLimit));
                var held = stripe.HoldNextAnswer();
                await BillAsync(silo.Url, shopId, period);
                await held.WaitAsync(StepLimit);
                invoiceId = await InvoiceIdAsync(silo.Url, key);
                await silo.KillAsync();
            }
            finally
            {
                Show("killed silo", silo);
            }
        }

        // What the kill left: Stripe charged the card; the attempt is pending without Stripe's reference, the period unpaid.
        var attemptKey = $"billing:invoice:{invoiceId}:attempt:1";
        Assert.Equal((1, "succeeded"), (stripe.Created, stripe.Intent("pi_standin_000001")["status"]!.GetValue<string>()));
        Assert.Equal([attemptKey], stripe.IdempotencyKeys);
        Assert.Equal(1, await CountAsync(database, $"SELECT COUNT(*) FROM payments WHERE invoice_id = '{invoiceId}' AND status = 'pending' AND provider_ref IS NULL"));
        Assert.Equal(0, await CountAsync(database, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{invoiceId}' AND status = 'paid'"));

        // Restarted where it ran (same silo port). The webhook variant sweeps once an hour: only Stripe's event can settle it.
        if (recovery == "webhook")
        {
            environment["Billing__Payments__SweepIntervalSeconds"] = "3600";
        }

        using var restarted = SiloProcess.Start(workingDirectory, environment, port);
        JsonElement collection;
        try
        {
            Assert.Equal(HttpStatusCode.OK, await restarted.WaitHealthyAsync(StartLimit));
            using var admin = AdminClient(restarted.Url);
            if (recovery == "webhook")
            {
                var succeeded = StripeWebhookTests.Event("evt_after_kill", "payment_intent.succeeded", stripe.Intent("pi_standin_000001"));
                var signature = StripeWebhookTests.Signature(succeeded, StripeWebhookTests.WebhookSecret, TimeProvider.System.GetUtcNow());
                var applied = await StripeWebhookTests.DeliverAsync(admin, succeeded, signature);
                Assert.Equal("applied", applied.GetProperty("outcome").GetString());
            }

            collection = await PaidAsync(admin, invoiceId);
        }
        finally
        {
            Show("restarted silo", restarted);
        }

        // Paid once, charged once: one PaymentIntent, every request under the attempt's key; one succeeded attempt; the period paid with its reference.
        Assert.Equal(1, stripe.Created);
        Assert.All(stripe.IdempotencyKeys, k => Assert.Equal(attemptKey, k));
        Assert.Equal(recovery == "sweep" ? 2 : 1, stripe.IdempotencyKeys.Count);
        Assert.Equal(("paid", 1), (collection.GetProperty("status").GetString(), collection.GetProperty("attempts").GetInt32()));
        var payment = Assert.Single(collection.GetProperty("payments").EnumerateArray());
        Assert.Equal(("succeeded", "pi_standin_000001", 0.04m), (payment.GetProperty("status").GetString(), payment.GetProperty("provider_reference").GetString(), payment.GetProperty("amount").GetDecimal()));
        Assert.Equal(1, await CountAsync(database, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{invoiceId}' AND status = 'paid' AND payment_reference = 'pi_standin_000001'"));
        Assert.Equal(1, await CountAsync(database, $"SELECT COUNT(*) FROM payments WHERE invoice_id = '{invoiceId}'"));
        await restarted.KillAsync();
        Directory.Delete(workingDirectory, recursive: true);
    }

    // The start of the month before yesterday's month, less 4 hours: the last evening of a month that is over for the silo processes' real clock.
    private static (DateTimeOffset BeforeMonthEnd, string Period) LastMonthEnd(DateTimeOffset now)
    {
        var yesterday = now.AddDays(-1);
        var beforeMonthEnd = new DateTimeOffset(yesterday.Year, yesterday.Month, 1, 0, 0, 0, TimeSpan.Zero).AddHours(-4);
        return (beforeMonthEnd, beforeMonthEnd.ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    // In process, on a manual clock in last month: a customer with a card saved at Stripe and 3 calls.
    private static async Task<(string ShopId, string Key)> SetUpAsync(TestDatabase database, StripeStandIn stripe, DateTimeOffset beforeMonthEnd)
    {
        await using var silo = CatalogSilo.Start(database, null, beforeMonthEnd, stripe.Settings);
        var (_, shopId, key) = await CollectionScenario.UsedAsync(silo, new { payment_method_id = "pm_card_visa" });
        return (shopId, key);
    }

    private static Dictionary<string, string> Environment(TestDatabase database, StripeStandIn stripe)
    {
        var settings = new Dictionary<string, string>(stripe.SettingsWith(StripeWebhookTests.WebhookSecret))
        {
            ["Billing:Storage"] = "postgres",
            ["ConnectionStrings:Billing"] = database.ConnectionString,
            ["Billing:AdminKey"] = CatalogSilo.AdminKey,
            ["Billing:Invoicing:CloseOnReminders"] = "false",
            // The collection sweep looks for due collections every second.
            ["Billing:Payments:SweepIntervalSeconds"] = "1",
            // The held answer is cut off by the kill, not by the client's timeout.
            ["Billing:Payments:Stripe:TimeoutSeconds"] = "120",
            // Restarted where it ran: the new silo supersedes the killed one's membership entry at once.
            ["Billing:Cluster:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Billing.Silo.Payments"] = "Information",
        };
        return settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value, StringComparer.Ordinal);
    }

    private static async Task BillAsync(Uri silo, string shopId, string period)
    {
        using var admin = AdminClient(silo);
        using var response = await admin.PostAsJsonAsync($"/api/billing-scheduler/process-shop-billing/{shopId}", new { period });
        var run = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("completed", run.GetProperty("status").GetString());
    }

    private static async Task<string> InvoiceIdAsync(Uri silo, string key)
    {
        using var client = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        using var response = await client.GetAsync(new Uri("/api/v1/billing/invoices", UriKind.Relative));
        var invoice = Assert.Single((await CatalogSilo.ReadAsync(response, HttpStatusCode.OK)).GetProperty("invoices").EnumerateArray());
        return invoice.GetProperty("id").GetString()!;
    }

    // Polls the collection until it is paid, bounded in time.
    private static async Task<JsonElement> PaidAsync(HttpClient admin, string invoiceId)
    {
        var waited = Stopwatch.StartNew();
        var collection = default(JsonElement);
        while (waited.Elapsed < StepLimit)
        {
            using var response = await admin.GetAsync(new Uri($"/api/v1/admin/invoices/{invoiceId}/collection", UriKind.Relative));
            collection = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
            if (collection.GetProperty("status").GetString() != "collecting")
            {
                return collection;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"invoice {invoiceId} still collecting after {StepLimit.TotalSeconds} s: {collection}");
    }

    private static HttpClient AdminClient(Uri silo)
    {
        var client = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CatalogSilo.AdminKey);
        return client;
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var postgres = new PostgresDatabase(database.ConnectionString);
        return await BillingScenario.CountAsync(postgres, sql);
    }

    private void Show(string name, SiloProcess silo)
    {
        output.WriteLine($"--- {name} (pid {silo.Process.Id}), last lines:");
        foreach (var line in silo.OutputTail)
        {
            output.WriteLine(line);
        }
    }
}
