using Billing.Silo.Hosting;
using Billing.Silo.Grains;
using System.Net;
using Billing.Testing;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Closing;

/// <summary>Operator billing runs: retries, dead letters, the run's report, and the invoice renderings.</summary>
public sealed class BillingRunTests
{
    private static readonly DateTimeOffset AfterNovember = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FailingShopIsRetriedThenDeadLetteredWhileTheOthersBill()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Postgres);
        var broken = new BrokenShops();
        await using var silo = CatalogSilo.Start(
            database,
            services =>
            {
                services.AddSingleton<IShopBiller>(sp => new FailingBiller(new GrainShopBiller(sp.GetRequiredService<IGrainFactory>()), broken));
                services.Configure<BillingRunOptions>(o => o.RetryDelayMs = 0);
            },
            now: new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
            BillingScenario.RunsOnly);
        var shops = new[] { await BillingScenario.CustomerAsync(silo, "UTC", "A"), await BillingScenario.CustomerAsync(silo, "UTC", "B"), await BillingScenario.CustomerAsync(silo, "UTC", "C") };
        broken.ShopId = shops[1].ShopId;
        await PastNovemberWithoutRemindersAsync(silo);

        var run = await BillingScenario.RunAsync(silo, new { period = "2026-11" });

        Assert.Equal((3L, 2L, 1L, 2L), (run.GetProperty("shops_total").GetInt64(), run.GetProperty("succeeded").GetInt64(), run.GetProperty("failed").GetInt64(), run.GetProperty("invoices_issued").GetInt64()));
        var failure = Assert.Single(run.GetProperty("failures").EnumerateArray());
        Assert.Equal((shops[1].ShopId, 3), (failure.GetProperty("shop_id").GetString(), failure.GetProperty("attempts").GetInt32()));
        Assert.Equal(3, broken.Attempts);
        var status = await silo.GetAsync(silo.Admin, "/api/billing-scheduler/status");
        Assert.Equal(shops[1].ShopId, Assert.Single(status.GetProperty("dead_letters").EnumerateArray()).GetProperty("shop_id").GetString());
        Assert.Equal("degraded", (await silo.GetAsync(silo.Admin, "/api/billing-scheduler/health")).GetProperty("status").GetString());
        Assert.Equal(2, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));
    }

    [Fact]
    public async Task RunStartedWithoutWaitingIsFollowedToItsEnd()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Sqlite);
        await using var silo = CatalogSilo.Start(database, configure: null, now: new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), BillingScenario.RunsOnly);
        await BillingScenario.CustomerAsync(silo, "UTC");
        await PastNovemberWithoutRemindersAsync(silo);

        var started = await BillingScenario.RunAsync(silo, new { wait = false }, HttpStatusCode.Accepted);
        var url = started.GetProperty("status_url").GetString()!;
        await Eventually.TrueAsync(async () => (await silo.GetAsync(silo.Admin, url)).GetProperty("status").GetString() == "completed", "the run completes");
        var finished = await silo.GetAsync(silo.Admin, url);

        Assert.Equal("2026-11", finished.GetProperty("period").GetString()); // the previous month by default
        Assert.Equal(1, finished.GetProperty("invoices_issued").GetInt64());
    }

    [Fact]
    public async Task ShopSeesItsInvoiceAsJsonHtmlAndCsvAndNoOneElsesInvoice()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Postgres);
        await using var silo = CatalogSilo.Start(database, configure: null, now: new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), BillingScenario.RunsOnly);
        var owner = await BillingScenario.CustomerAsync(silo, "UTC", "Acme Corporation");
        var other = await BillingScenario.CustomerAsync(silo, "UTC", "Other");
        await BillingScenario.ConsumeAsync(silo, owner.Key, 5);
        await PastNovemberWithoutRemindersAsync(silo);
        await BillingScenario.RunAsync(silo, new { shop_ids = new[] { owner.ShopId } });
        using var client = BillingScenario.Client(silo, owner.Key);
        using var stranger = BillingScenario.Client(silo, other.Key);
        var id = (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices")[0].GetProperty("id").GetString();

        using var page = await client.GetAsync(new Uri($"/api/v1/billing/invoices/{id}.html", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var csv = await client.GetStringAsync(new Uri($"/api/v1/billing/invoices/{id}.csv", UriKind.Relative));

        Assert.Contains("INV-2026-000001", html, StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.DocumentPolicy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.StartsWith("Invoice Number,INV-2026-000001\r\nClient Name,Acme Corporation\r\nBilling Period,2026-11-01 to 2026-11-30\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("API requests,5,0.0100,0.05", csv, StringComparison.Ordinal);
        Assert.Equal("invoice_not_found", (await silo.GetAsync(stranger, $"/api/v1/billing/invoices/{id}", HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    /// <summary>
    /// These tests bill through runs only: their silos close no period on reminders
    /// (MonthEndCloseTests' subject), or moving the clock would let them close the periods first.
    /// </summary>
    private static Task PastNovemberWithoutRemindersAsync(CatalogSilo silo)
    {
        silo.Time.Advance(AfterNovember - silo.Time.GetUtcNow());
        return Task.CompletedTask;
    }

    private sealed class BrokenShops
    {
        private int attempts;

        public string? ShopId { get; set; }

        public int Attempts => Volatile.Read(ref attempts);

        public void Count() => Interlocked.Increment(ref attempts);
    }

    private sealed class FailingBiller(IShopBiller inner, BrokenShops broken) : IShopBiller
    {
        public Task<ShopBillingResult> BillAsync(string shopId, CloseRequest request, CancellationToken cancellationToken)
        {
            if (shopId != broken.ShopId)
            {
                return inner.BillAsync(shopId, request, cancellationToken);
            }

            broken.Count();
            throw new InvalidOperationException("The shop's plan could not be read (injected).");
        }
    }
}
