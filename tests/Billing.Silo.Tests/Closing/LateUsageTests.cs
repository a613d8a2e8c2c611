using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// Usage back-dated with <c>occurred_at</c>: into the open period it counts there; into a period
/// already invoiced it is never dropped but billed as a late-usage line on the next invoice.
/// </summary>
public sealed class LateUsageTests
{
    // 23:00 local on 30 November in Amsterdam (UTC+1).
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

    // 00:00 local on 1 December and 1 January plus the hour of grace, in UTC.
    private static readonly DateTimeOffset NovemberDue = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DecemberDue = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageBackDatedIntoAnInvoicedPeriodIsBilledAsLateUsageOnTheNextInvoice(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await BillingScenario.ConsumeAsync(silo, key, 3);
        await BillingScenario.AdvanceAndTickAsync(silo, NovemberDue);

        using var client = BillingScenario.Client(silo, key);
        await ConsumeAtAsync(client, "2026-11-20T10:00:00Z", HttpStatusCode.OK);
        await ConsumeAtAsync(client, "2026-11-30T22:59:59Z", HttpStatusCode.OK); // 23:59:59 local: still November
        await BillingScenario.ConsumeAsync(silo, key, 1);
        await BillingScenario.AdvanceAndTickAsync(silo, DecemberDue);

        var invoices = (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray().ToList();
        var november = invoices.Single(i => i.GetProperty("period_start").GetString() == "2026-11-01");
        var december = invoices.Single(i => i.GetProperty("period_start").GetString() == "2026-12-01");
        Assert.Equal([("API requests", 3m, 0.01m, 0.03m)], Lines(november));
        Assert.Equal(0.04m, november.GetProperty("total").GetDecimal());
        Assert.Equal([("API requests", 1m, 0.01m, 0.01m), ("Late usage: API requests", 2m, 0.01m, 0.02m)], Lines(december));
        // 0.03 + VAT 21 % (0.0063, half-even 0.01) = 0.04; the issue date (1 January, UTC) gives the year.
        Assert.Equal((0.03m, 0.01m, 0.04m), (december.GetProperty("subtotal").GetDecimal(), december.GetProperty("vat").GetDecimal(), december.GetProperty("total").GetDecimal()));
        Assert.Equal("INV-2027-000001", december.GetProperty("number").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageBackDatedWithinTheOpenPeriodCountsOnItsOwnDay(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        using var client = BillingScenario.Client(silo, key);

        await ConsumeAtAsync(client, "2026-11-02T08:00:00Z", HttpStatusCode.OK);
        await BillingScenario.ConsumeAsync(silo, key, 1);

        var usage = await silo.GetAsync(client, "/api/v1/usage");
        Assert.Equal(2, usage.GetProperty("totals").GetProperty("requests").GetInt64());
        var days = usage.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString(), d.GetProperty("requests").GetInt64())).ToList();
        Assert.Equal([("2026-11-02", 1L), ("2026-11-30", 1L)], days.OrderBy(d => d.Item1).ToList());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RejectsOccurredAtBeyondTheBackdateWindowOrAheadOfTheClock(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        // The shop exists since before the window opens: usage before its first period is refused for that alone.
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd.AddDays(-62));
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        silo.Time.SetUtcNow(BeforeMonthEnd);
        using var client = BillingScenario.Client(silo, key);

        var tooOld = await ConsumeAtAsync(client, "2026-09-29T21:59:59Z", HttpStatusCode.BadRequest); // 62 days and a second back
        var ahead = await ConsumeAtAsync(client, "2026-11-30T22:05:01Z", HttpStatusCode.BadRequest);  // 5 minutes and a second ahead
        await ConsumeAtAsync(client, "2026-09-29T22:00:00Z", HttpStatusCode.OK);                          // exactly 62 days back
        var batch = await silo.PostRawAsync(
            client, "/api/v1/usage/batch",
            """{"events":[{"tokens":1,"occurred_at":"2026-01-01T00:00:00Z"},{"tokens":1,"occurred_at":"2026-11-30T21:00:00Z"}]}""",
            "application/json", HttpStatusCode.OK);

        Assert.Equal("invalid_request", tooOld.GetProperty("code").GetString());
        Assert.Contains("occurred_at must not be more than 62 days in the past", tooOld.GetProperty("detail").GetString());
        Assert.Contains("occurred_at must not be more than 300 seconds in the future", ahead.GetProperty("detail").GetString());
        Assert.Equal([400, 200], batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()).ToList());
        Assert.Equal(2, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_consumed").GetInt64());
    }

    internal static async Task<JsonElement> ConsumeAtAsync(HttpClient client, string occurredAt, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, endpoint = "/v1/search", occurred_at = occurredAt });
        return await CatalogSilo.ReadAsync(response, expected);
    }

    private static List<(string?, decimal, decimal, decimal)> Lines(JsonElement invoice) =>
        [.. invoice.GetProperty("lines").EnumerateArray().Select(l => (
            l.GetProperty("service").GetString(), l.GetProperty("quantity").GetDecimal(), l.GetProperty("unit_price").GetDecimal(), l.GetProperty("amount").GetDecimal()))];
}
