using NodaTime;

namespace Billing.Domain.Tests.Pricing;

/// <summary>Builders shared by the pricing tests, and seed 003's per-screen catalogue.</summary>
internal static class PricingFixtures
{
    public const string PlanId = "price_0123456789abcdefghij";

    public static Money Eur(decimal amount) => new(amount, Currency.EUR);

    public static Money Usd(decimal amount) => new(amount, Currency.USD);

    public static PricePlan PlanOf(Currency currency, params Charge[] charges) => new(PlanId, "Test plan", currency, charges);

    public static BillableUsage Usage(
        long requests = 0, long tokens = 0, long errors = 0, int seats = 0, EndpointUsage[]? endpoints = null, RevenueEvent[]? revenue = null) =>
        new(requests, tokens, errors, endpoints ?? [], seats, revenue ?? []);

    /// <summary>Seed 003: Free $0, Standard $10, Pro Plus $15, Engage $30, Enterprise $45 per screen per month.</summary>
    public static PricePlan ScreenPlan(string name) => new(PlanId, name, Currency.USD, [new PerSeatCharge("Screens", Usd(PricePerScreen(name)))]);

    public static decimal PricePerScreen(string name) => name switch
    {
        "Free" => 0m,
        "Standard" => 10m,
        "Pro Plus" => 15m,
        "Engage" => 30m,
        "Enterprise" => 45m,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not in seed 003's catalogue."),
    };

    /// <summary>A sale in March 2026 at the given UTC time of day.</summary>
    public static RevenueEvent Sale(string orderId, decimal eur, int day, int hour, int minute = 0, string? fingerprint = null, RevenueEventFlags flags = RevenueEventFlags.None) =>
        new(orderId, Eur(eur), Instant.FromUtc(2026, 3, day, hour, minute), fingerprint, flags);

    public static void AssertLine(InvoiceLine line, string service, decimal quantity, Money unitPrice, Money amount) =>
        Assert.Equal((service, quantity, unitPrice, amount), (line.Service, line.Quantity, line.UnitPrice, line.Amount));

    public static IEnumerable<decimal> Amounts(IEnumerable<InvoiceLine> lines) => lines.Select(line => line.Amount.Amount);
}
