using Billing.Domain;
using Billing.Silo.OperatorConsole;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.OperatorConsole;

/// <summary>The overview's MRR chart is computed once per <c>Billing:Console:MrrCacheSeconds</c> and months shown.</summary>
public sealed class ConsoleMrrCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly MonthRange November = new(new YearMonth(2026, 11), new YearMonth(2026, 11));

    [Theory]
    [InlineData(3_600, 0.00)]
    [InlineData(0, 30.00)]
    public async Task ANewSubscriptionShowsOnTheOverviewOnceTheCachedMrrHasExpired(int cacheSeconds, double shownMrr)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(
            database, null, Now, new Dictionary<string, string> { ["Billing:Console:MrrCacheSeconds"] = cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var cache = silo.Services.GetRequiredService<ConsoleMrrCache>();

        var before = await cache.GetAsync(November, CancellationToken.None);
        var (shopId, _) = await PlanScenario.ShopAsync(silo);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m), seats = 3 });
        var after = await cache.GetAsync(November, CancellationToken.None);
        var other = await cache.GetAsync(new MonthRange(new YearMonth(2026, 10), new YearMonth(2026, 11)), CancellationToken.None);

        Assert.Empty(before.Months.Single().Currencies);
        Assert.Equal((decimal)shownMrr, after.Months.Single().Currencies.SingleOrDefault()?.Mrr.Amount ?? 0m);
        // Other months are another report, computed afresh.
        Assert.Equal(30.00m, other.Months[^1].Currencies.Single().Mrr.Amount);
    }
}
