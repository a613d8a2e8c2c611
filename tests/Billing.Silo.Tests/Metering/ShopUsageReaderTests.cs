using Billing.Domain;
using Billing.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.Metering;

/// <summary>A shop's period rebuilt from the stored usage events, with the customer's last sequence, in one statement on both dialects.</summary>
public sealed class ShopUsageReaderTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RebuildAddsTheShopsEventsAndReturnsTheCustomersLastSequenceEvenForAShopWithoutEvents(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, shopId, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 1_000);
        var quietShopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = "Quiet shop" })).GetProperty("id").GetString()!;
        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 10, endpoint = "/v1/chat", status_code = 200 });
        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 15, endpoint = "/v1/chat", status_code = 500 });

        var lastSequence = await BillingScenario.CountAsync(silo, $"SELECT MAX(seq) FROM usage_events WHERE customer_id = '{customerId}'");
        var (busy, busyUpTo) = await RebuildAsync(silo, shopId, customerId);
        var (quiet, quietUpTo) = await RebuildAsync(silo, quietShopId, customerId);

        Assert.Equal((lastSequence, lastSequence), (busyUpTo, quietUpTo));
        Assert.Equal((2L, 25L, 0.375m, 1L), (busy.Totals.Requests, busy.Totals.Tokens, busy.Totals.Cost.Amount, busy.Totals.Errors));
        Assert.Equal((0L, 0L), (quiet.Totals.Requests, quiet.Totals.Tokens));
    }

    private static async Task<(PeriodUsage Usage, long UpTo)> RebuildAsync(CatalogSilo silo, string shopId, string customerId)
    {
        var now = Instant.FromDateTimeOffset(silo.Time.GetUtcNow());
        var usage = new PeriodUsage(BillingPeriod.Containing(now, BillingCycle.Monthly, "UTC"), Currency.Parse("EUR"));
        var upTo = await silo.Services.GetRequiredService<ShopUsageReader>().RebuildAsync(shopId, customerId, usage, CancellationToken.None);
        return (usage, upTo);
    }
}
