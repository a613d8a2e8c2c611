using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class PricerRoundingTests
{
    private static readonly PricePlan ApiCalls = PlanOf(Currency.EUR, new PerUnitCharge("API Calls", UsageMetric.Requests, null, Eur(0.0005m)));

    [Theory]
    [InlineData(RoundingMode.HalfEven)]
    [InlineData(RoundingMode.HalfUp)]
    public void SubMinorUnitPriceIsRoundedOncePerLine(RoundingMode mode)
    {
        // 1,234 × €0.0005 = €0.617: not a tie, so both policies give €0.62.
        var line = Assert.Single(Pricer.PriceLines(ApiCalls, Usage(requests: 1_234), new RoundingPolicy(mode)));

        Assert.Equal(Eur(0.0005m), line.UnitPrice);
        Assert.Equal(Eur(0.62m), line.Amount);
    }

    [Theory]
    [InlineData(RoundingMode.HalfEven, 0.62)]
    [InlineData(RoundingMode.HalfUp, 0.63)]
    public void ExactHalfCentTieDependsOnThePolicy(RoundingMode mode, decimal expected)
    {
        // 1,250 × €0.0005 = €0.625 exactly: half-even keeps the even 2, half-up goes to 3.
        var line = Assert.Single(Pricer.PriceLines(ApiCalls, Usage(requests: 1_250), new RoundingPolicy(mode)));

        Assert.Equal(Eur(expected), line.Amount);
    }

    [Fact]
    public void DefaultPolicyIsHalfEven()
    {
        var line = Assert.Single(Pricer.PriceLines(ApiCalls, Usage(requests: 1_250), default));

        Assert.Equal(Eur(0.62m), line.Amount);
    }

    [Fact]
    public void Seed004WeeklyInvoicePricesEachServiceThenVatOnTheSubtotal()
    {
        var plan = PlanOf(
            Currency.EUR,
            new PerUnitCharge("RTSP Streaming", UsageMetric.Requests, "/api/rtsp/", Eur(0.001m)),
            new PerUnitCharge("API Calls", UsageMetric.Requests, "/api/v1/", Eur(0.0005m)));
        var usage = Usage(requests: 6_000, endpoints: [new("/api/rtsp/streams", 1_000, 0, 0), new("/api/v1/detect", 5_000, 0, 0)]);

        var invoice = Pricer.Price(plan, usage, 0.21m, RoundingPolicy.HalfEven);

        Assert.Equal([1.00m, 2.50m], Amounts(invoice.Lines));
        Assert.Equal(Eur(3.50m), invoice.Subtotal);
        Assert.Equal(Eur(0.74m), invoice.Vat);        // 3.50 × 0.21 = 0.735 → 0.74
        Assert.Equal(Eur(4.24m), invoice.Total);
        Assert.Equal(0.21m, invoice.VatRate);
        Assert.Equal(RoundingPolicy.HalfEven, invoice.Rounding);
    }

    [Fact]
    public void VatOnTheSubtotalDiffersFromVatPerLine()
    {
        var plan = PlanOf(Currency.EUR, new FlatFeeCharge("Support", Eur(0.50m)), new FlatFeeCharge("Storage", Eur(0.50m)), new FlatFeeCharge("Backups", Eur(0.50m)));

        var invoice = Pricer.Price(plan, BillableUsage.None, 0.21m, RoundingPolicy.HalfEven);

        // Per line: 0.50 × 0.21 = 0.105 → 0.10, three times 0.30. On the subtotal: 1.50 × 0.21 = 0.315 → 0.32.
        var vatPerLine = invoice.Lines.Sum(line => new Money(line.Amount.Amount * 0.21m, Currency.EUR).RoundTo(RoundingPolicy.HalfEven).Amount);
        Assert.Equal(0.30m, vatPerLine);
        Assert.Equal(Eur(1.50m), invoice.Subtotal);
        Assert.Equal(Eur(0.32m), invoice.Vat);
        Assert.Equal(Eur(1.82m), invoice.Total);
    }

    [Theory]
    [InlineData(RoundingMode.HalfEven, 0.62)]
    [InlineData(RoundingMode.HalfUp, 0.63)]
    public void VatTieFollowsThePolicy(RoundingMode mode, decimal expectedVat)
    {
        // €2.50 × 25% = €0.625.
        var plan = PlanOf(Currency.EUR, new FlatFeeCharge("Platform", Eur(2.50m)));

        var invoice = Pricer.Price(plan, BillableUsage.None, 0.25m, new RoundingPolicy(mode));

        Assert.Equal(Eur(expectedVat), invoice.Vat);
        Assert.Equal(Eur(2.50m + expectedVat), invoice.Total);
    }

    [Fact]
    public void AdjustmentLinesAreAddedAfterThePlansLines()
    {
        var plan = PlanOf(Currency.EUR, new FlatFeeCharge("Platform", Eur(10m)));
        InvoiceLine[] adjustments = [new("Goodwill credit", 1m, Eur(-2.50m), Eur(-2.50m))];

        var invoice = Pricer.Price(plan, BillableUsage.None, 0.20m, RoundingPolicy.HalfEven, adjustments);

        Assert.Equal(["Platform", "Goodwill credit"], invoice.Lines.Select(line => line.Service));
        Assert.Equal(Eur(7.50m), invoice.Subtotal);
        Assert.Equal(Eur(1.50m), invoice.Vat);
        Assert.Equal(Eur(9.00m), invoice.Total);
    }

    [Fact]
    public void AdjustmentsInAnotherCurrencyAreRefused()
    {
        var plan = PlanOf(Currency.EUR, new FlatFeeCharge("Platform", Eur(10m)));

        Assert.Throws<CurrencyMismatchException>(
            () => Pricer.Price(plan, BillableUsage.None, 0m, RoundingPolicy.HalfEven, [new("Credit", 1m, Usd(-1m), Usd(-1m))]));
    }

    [Fact]
    public void JapaneseYenRoundsToWholeYen()
    {
        var plan = PlanOf(Currency.JPY, new PerUnitCharge("API Calls", UsageMetric.Requests, null, new Money(0.15m, Currency.JPY)));

        var invoice = Pricer.Price(plan, Usage(requests: 1_010), 0.10m, RoundingPolicy.HalfEven);

        Assert.Equal(new Money(152m, Currency.JPY), invoice.Subtotal);  // 151.5 → 152 (even)
        Assert.Equal(new Money(15m, Currency.JPY), invoice.Vat);        // 15.2 → 15
    }
}
