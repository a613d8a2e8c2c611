using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;

namespace Billing.Silo.Tests.Readme;

/// <summary><c>billing test &lt;shop&gt;</c> against a real silo: it shows the shop's invoice without issuing it unless <c>--bill</c> says so.</summary>
public sealed class BillingTestCommandTests
{
    private static readonly DateTimeOffset October = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset November = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WithoutBillNothingIsInvoicedAndWithBillTheShopsInvoiceIsIssuedOnce()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, October, BillingScenario.RunsOnly);
        var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "UTC");
        await BillingScenario.ConsumeAsync(silo, key, calls: 3);
        silo.Time.Advance(November - silo.Time.GetUtcNow());

        var shown = await InProcessCli.RunAsync(silo, "test", shopId, "--period", "2026-10");
        var dryRun = await InProcessCli.RunAsync(silo, "test", shopId, "--period", "2026-10", "--dry-run");

        Assert.True((shown.ExitCode, dryRun.ExitCode) == (0, 0), shown.Stderr + dryRun.Stderr);
        Assert.StartsWith("DRY RUN: nothing was written.\n", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Shop {shopId}: would_invoice, period 2026-10", shown.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));

        var billed = await InProcessCli.RunAsync(silo, "test", shopId, "--period", "2026-10", "--bill");
        var again = await InProcessCli.RunAsync(silo, "test", shopId, "--period", "2026-10", "--bill");

        Assert.True((billed.ExitCode, again.ExitCode) == (0, 0), billed.Stderr + again.Stderr);
        Assert.DoesNotContain("DRY RUN", billed.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Shop {shopId}: invoiced, period 2026-10", billed.Stdout, StringComparison.Ordinal);
        Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(silo));
        // 3 requests at 0.01 and 21 % VAT rounded to the cent: 0.03 + 0.01.
        Assert.Equal(0.04m, (await silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices?shop_id={shopId}")).GetProperty("invoices")[0].GetProperty("total").GetDecimal());
    }
}
