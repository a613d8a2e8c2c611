using NodaTime;

namespace Billing.Domain.Tests.Analytics;

/// <summary>
/// Seed 003's per-screen plans over February..April 2026, figures computed by hand. USD customers:
/// A Standard × 3 (30) from January, upgraded to Pro Plus × 3 (45) on 15 February, downgraded to
/// Standard × 2 (20) at 1 April 00:00 (March's end exactly); B Engage × 2 (60) from 5 February,
/// cancelled 20 March, back on Standard × 1 (10) on 10 April; C Standard × 1 (10) in November 2025,
/// cancelled in December, back on Pro Plus × 1 (15) on 2 March; D Free × 3 (0); F in New York,
/// Standard × 1 from 22:00 local on 28 February (1 March in UTC). EUR: E in Amsterdam, 90 per quarter.
/// </summary>
public sealed class MrrReportTests
{
    private static readonly MonthRange FebruaryToApril = new(new YearMonth(2026, 2), new YearMonth(2026, 4));

    [Fact]
    public void FebruaryHasANewCustomerAnExpansionAndANewCustomerWhoseMonthEndsInNewYork()
    {
        var february = Usd(Report()[0]);

        Assert.Equal((30.00m, 115.00m, 1380.00m, 3), (february.StartingMrr.Amount, february.Mrr.Amount, february.Arr.Amount, february.PayingCustomers));
        Assert.Equal((70.00m, 2), (february.New.Amount.Amount, february.New.Customers));
        Assert.Equal((15.00m, 1), (february.Expansion.Amount.Amount, february.Expansion.Customers));
        Assert.Equal((0m, 0m, 0m), (february.Contraction.Amount.Amount, february.Churn.Amount.Amount, february.Reactivation.Amount.Amount));
        // 115 / 3 = 38.333…, half-even to the cent.
        Assert.Equal(38.33m, february.Arpu.Amount);
        Assert.Equal([("engage", 1, 60.00m), ("free", 1, 0m), ("pro_plus", 1, 45.00m), ("standard", 1, 10.00m)], Plans(february));
    }

    [Fact]
    public void MarchHasAChurnAndAReactivationOfACustomerWhoPaidLastYear()
    {
        var march = Usd(Report()[1]);

        Assert.Equal((115.00m, 70.00m, 3), (march.StartingMrr.Amount, march.Mrr.Amount, march.PayingCustomers));
        Assert.Equal((60.00m, 1), (march.Churn.Amount.Amount, march.Churn.Customers));
        Assert.Equal((15.00m, 1), (march.Reactivation.Amount.Amount, march.Reactivation.Customers));
        Assert.Equal((0m, 0, 0m, 0m), (march.New.Amount.Amount, march.New.Customers, march.Expansion.Amount.Amount, march.Contraction.Amount.Amount));
        Assert.Equal(23.33m, march.Arpu.Amount);
    }

    [Fact]
    public void AprilCountsTheDowngradeEffectiveAtMarchsEndAsContractionAndTheReturnAsReactivation()
    {
        var april = Usd(Report()[2]);

        Assert.Equal((70.00m, 55.00m, 660.00m, 4), (april.StartingMrr.Amount, april.Mrr.Amount, april.Arr.Amount, april.PayingCustomers));
        Assert.Equal((25.00m, 1), (april.Contraction.Amount.Amount, april.Contraction.Customers));
        Assert.Equal((10.00m, 1), (april.Reactivation.Amount.Amount, april.Reactivation.Customers));
        Assert.Equal(13.75m, april.Arpu.Amount);
        Assert.Equal([("free", 1, 0m), ("pro_plus", 1, 15.00m), ("standard", 3, 40.00m)], Plans(april));
    }

    [Fact]
    public void EachCurrencyIsReportedApartAndNeverSummed()
    {
        var months = Report();

        Assert.All(months, month => Assert.Equal(["EUR", "USD"], month.Currencies.Select(c => c.Currency.Code)));
        var euro = months.Select(month => month.Currencies[0]).ToList();
        Assert.All(euro, e => Assert.Equal((30.00m, 30.00m, 30.00m, 1, 0m), (e.StartingMrr.Amount, e.Mrr.Amount, e.Arpu.Amount, e.PayingCustomers, e.New.Amount.Amount)));
        Assert.Equal([115.00m, 70.00m, 55.00m], months.Select(month => Usd(month).Mrr.Amount));
    }

    [Fact]
    public void ACustomerWithoutAnyTermsAddsNothingButItsCurrency()
    {
        var report = new MrrReport(FebruaryToApril);
        report.Add(new CustomerMrrTimeline("cus_none", Currency.GBP, "UTC", []));

        var february = Assert.Single(report.Build(RoundingPolicy.HalfEven)[0].Currencies);
        Assert.Equal((0m, 0, 0), (february.Mrr.Amount, february.PayingCustomers, february.Plans.Count));
        Assert.Equal(0m, february.Arpu.Amount);
    }

    [Fact]
    public void MonthEndIsTheCustomersLocalMidnight()
    {
        var newYork = new CustomerMrrTimeline("cus_f", Currency.USD, "America/New_York", [Fact("shop_f", At(2026, 3, 1, 3), "standard", 10m)]);
        var utc = new CustomerMrrTimeline("cus_g", Currency.USD, "UTC", [Fact("shop_g", At(2026, 3, 1, 3), "standard", 10m)]);

        Assert.Equal((10.00m, 0m), (newYork.At(new YearMonth(2026, 2)).Mrr.Amount, utc.At(new YearMonth(2026, 2)).Mrr.Amount));
        Assert.Equal(Instant.FromUtc(2026, 3, 1, 5, 0), newYork.MonthEnd(new YearMonth(2026, 2)));
    }

    [Fact]
    public void PaidBeforeNeedsAPositiveMrrAtSomeMonthsEndNotJustWithinAMonth()
    {
        // Paid from 3 to 20 November only: no month's end saw it.
        var customer = new CustomerMrrTimeline(
            "cus_h", Currency.USD, "UTC", [Fact("shop_h", At(2025, 11, 3, 9), "standard", 10m), Fact("shop_h", At(2025, 11, 20, 9), null, 0m)]);

        Assert.False(customer.PaidAtAMonthEndBefore(new YearMonth(2026, 3)));
    }

    private static IReadOnlyList<MrrMonth> Report()
    {
        var report = new MrrReport(FebruaryToApril);
        report.Add(new CustomerMrrTimeline("cus_a", Currency.USD, "UTC", [
            Fact("shop_a", At(2026, 1, 10, 9), "standard", 30m), Fact("shop_a", At(2026, 2, 15, 9), "pro_plus", 45m), Fact("shop_a", At(2026, 4, 1, 0), "standard", 20m)]));
        report.Add(new CustomerMrrTimeline("cus_b", Currency.USD, "UTC", [
            Fact("shop_b", At(2026, 2, 5, 9), "engage", 60m), Fact("shop_b", At(2026, 3, 20, 9), null, 0m), Fact("shop_b", At(2026, 4, 10, 9), "standard", 10m)]));
        report.Add(new CustomerMrrTimeline("cus_c", Currency.USD, "UTC", [
            Fact("shop_c", At(2025, 11, 3, 9), "standard", 10m), Fact("shop_c", At(2025, 12, 15, 9), null, 0m), Fact("shop_c", At(2026, 3, 2, 9), "pro_plus", 15m)]));
        report.Add(new CustomerMrrTimeline("cus_d", Currency.USD, "UTC", [Fact("shop_d", At(2026, 1, 1, 9), "free", 0m)]));
        report.Add(new CustomerMrrTimeline("cus_e", Currency.EUR, "Europe/Amsterdam", [Fact("shop_e", At(2026, 1, 15, 9), "quarterly", 30m, Currency.EUR)]));
        report.Add(new CustomerMrrTimeline("cus_f", Currency.USD, "America/New_York", [Fact("shop_f", At(2026, 3, 1, 3), "standard", 10m)]));
        return report.Build(RoundingPolicy.HalfEven);
    }

    private static MrrFigures Usd(MrrMonth month) => Assert.Single(month.Currencies, c => c.Currency == Currency.USD);

    private static List<(string, int, decimal)> Plans(MrrFigures figures) => [.. figures.Plans.Select(p => (p.PlanId, p.Customers, p.Mrr.Amount))];

    private static Instant At(int year, int month, int day, int hour) => Instant.FromUtc(year, month, day, hour, 0);

    private static ShopTermsFact Fact(string shop, Instant at, string? plan, decimal monthly, Currency? currency = null) =>
        new(shop, at, plan, new Money(monthly, currency ?? Currency.USD));
}
