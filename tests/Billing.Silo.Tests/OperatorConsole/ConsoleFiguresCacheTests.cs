using Billing.Silo.OperatorConsole;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Tests.OperatorConsole;

/// <summary>The overview's MRR and revenue are computed once per <c>Billing:Console:OverviewCacheSeconds</c> and month.</summary>
public sealed class ConsoleFiguresCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly YearMonth November = new(2026, 11);

    [Theory]
    [InlineData(3_600, 0.00)]
    [InlineData(0, 30.00)]
    public async Task ANewSubscriptionShowsOnTheOverviewOnceTheCachedFiguresHaveExpired(int cacheSeconds, double shownMrr)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(
            database, null, Now, new Dictionary<string, string> { ["Billing:Console:OverviewCacheSeconds"] = cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var cache = silo.Services.GetRequiredService<ConsoleFiguresCache>();

        var before = await cache.GetAsync(November, CancellationToken.None);
        var (shopId, _) = await PlanScenario.ShopAsync(silo);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m), seats = 3 });
        var after = await cache.GetAsync(November, CancellationToken.None);
        var nextMonth = await cache.GetAsync(November.PlusMonths(1), CancellationToken.None);

        Assert.Empty(before.Mrr.Months[^1].Currencies);
        Assert.Empty(before.Revenue);
        Assert.Equal((new MonthRange(new YearMonth(2025, 12), November), new MonthRange(new YearMonth(2026, 10), November)), (after.MrrMonths, after.RevenueMonths));
        Assert.Equal((decimal)shownMrr, after.Mrr.Months[^1].Currencies.SingleOrDefault()?.Mrr.Amount ?? 0m);
        // Another month is another computation.
        Assert.Equal(30.00m, nextMonth.Mrr.Months[^2].Currencies.Single().Mrr.Amount);
    }
}
