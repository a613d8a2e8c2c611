using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;

namespace Billing.Silo.Tests.Hardening;

/// <summary>
/// <c>occurred_at</c> before the shop's first billing period is refused (it would belong to no period of the shop),
/// and what <c>/usage</c> counts in memory is what a restarted silo rebuilds from storage, late usage included.
/// </summary>
public sealed class BackdatedUsageTests
{
    // The shop is made at noon on 21 November (UTC): its first period is November.
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageBeforeTheShopsFirstPeriodIsRefusedAndUsageAgreesWithTheSubscriptionAcrossARestart(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string key;
        await using (var silo = CatalogSilo.Start(database, configure: null, now: Created))
        {
            (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");
            using var client = BillingScenario.Client(silo, key);

            var refused = await ConsumeAtAsync(client, "2026-10-31T23:59:59Z", HttpStatusCode.BadRequest);
            await ConsumeAtAsync(client, "2026-11-01T00:00:00Z", HttpStatusCode.OK); // before the shop, but in its first period
            var batch = await silo.PostRawAsync(
                client, "/api/v1/usage/batch",
                """{"events":[{"tokens":1,"occurred_at":"2026-10-15T00:00:00Z"},{"tokens":1,"occurred_at":"2026-11-02T00:00:00Z"}]}""",
                "application/json", HttpStatusCode.OK);

            Assert.Equal("invalid_request", refused.GetProperty("code").GetString());
            Assert.Equal(
                "occurred_at must not be before 2026-11-01T00:00:00Z, the start of the shop's first billing period",
                Assert.Single(refused.GetProperty("errors").GetProperty("occurred_at").EnumerateArray()).GetString());
            Assert.Equal([400, 200], batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
            Assert.Equal((2L, 2L), await UsageAndConsumedAsync(silo, client, expectedRequests: 2));

            // December: usage back-dated into the closed November is late usage, not December's.
            await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero));
            await ConsumeAtAsync(client, "2026-11-30T12:00:00Z", HttpStatusCode.OK);
            await ConsumeAtAsync(client, "2026-12-01T00:30:00Z", HttpStatusCode.OK);
            Assert.Equal((1L, 4L), await UsageAndConsumedAsync(silo, client, expectedRequests: 1));
        }

        await using var restarted = CatalogSilo.Start(database, configure: null, now: new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        using var again = BillingScenario.Client(restarted, key);
        Assert.Equal((1L, 4L), await UsageAndConsumedAsync(restarted, again, expectedRequests: 1));
    }

    /// <summary>The current period's requests in <c>/usage</c> once they reach <paramref name="expectedRequests"/> (events count asynchronously), and the tokens consumed.</summary>
    private static async Task<(long Requests, long Consumed)> UsageAndConsumedAsync(CatalogSilo silo, HttpClient client, long expectedRequests)
    {
        long requests = -1;
        await Eventually.TrueAsync(
            async () => (requests = (await silo.GetAsync(client, "/api/v1/usage")).GetProperty("totals").GetProperty("requests").GetInt64()) >= expectedRequests,
            "the shop grain to count the durable events");
        var consumed = (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_consumed").GetInt64();
        return (requests, consumed);
    }

    private static async Task<JsonElement> ConsumeAtAsync(HttpClient client, string occurredAt, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, occurred_at = occurredAt });
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
