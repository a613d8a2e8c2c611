using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.RenewalScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Recurring plans renew at the end of their period by charging the default saved method, on the
/// renewal grain's reminder and a manual clock: once per period, retried on the dunning days when
/// declined, keeping the period's anchor when paid late, lapsing after the last retry.
/// </summary>
public sealed class RenewalTests
{
    private static readonly Dictionary<string, string> RetryOnDayOne = new() { ["Billing:Dunning:RetryDays:0"] = "1" };

    // On PostgreSQL only: the other renewal tests run on SQLite, where a month's jump of the manual clock costs seconds.
    [Fact]
    public async Task ARecurringPlanRenewsAtEachPeriodsEndByChargingTheDefaultMethodOnce()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Postgres);
        await using var silo = CatalogSilo.Start(database, null, Bought, RetryOnDayOne);
        var (customerId, key, planId) = await SubscribedAsync(silo, "4242424242424242");
        var scheduled = await RenewalAsync(silo, customerId);
        Assert.Equal(("scheduled", planId, FirstEnd, 15.00m, "EUR"), (scheduled.GetProperty("status").GetString(), scheduled.GetProperty("plan_id").GetString(), scheduled.GetProperty("renews_at").GetDateTimeOffset(), scheduled.GetProperty("amount").GetDecimal(), scheduled.GetProperty("currency").GetString()));
        await BillingScenario.ConsumeAsync(silo, key, 3);

        var renewed = await AdvanceUntilAsync(silo, customerId, FirstEnd, r => r.GetProperty("renews_at").GetDateTimeOffset() == FirstEnd.AddDays(30), "first renewal");
        var twice = await AdvanceUntilAsync(silo, customerId, FirstEnd.AddDays(30), r => r.GetProperty("renews_at").GetDateTimeOffset() == FirstEnd.AddDays(60), "second renewal");

        Assert.Equal((0, FirstEnd.AddDays(60)), (twice.GetProperty("attempts").GetInt32(), twice.GetProperty("next_attempt_at").GetDateTimeOffset()));
        Assert.Equal(0, renewed.GetProperty("attempts").GetInt32());
        var payments = await RenewalPaymentsAsync(silo, key);
        Assert.Equal([("succeeded", null, 15.00m), ("succeeded", null, 15.00m)], payments.Select(Payment));
        Assert.All(payments, p => Assert.Equal(("visa", "4242"), (p.GetProperty("card_brand").GetString(), p.GetProperty("card_last4").GetString())));
        var subscription = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription");
        Assert.Equal((3_000, 2_997, Bought, FirstEnd.AddDays(60)), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("tokens_remaining").GetInt64(), subscription.GetProperty("start_date").GetDateTimeOffset(), subscription.GetProperty("end_date").GetDateTimeOffset()));
        Assert.Equal(3, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM token_grants WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task ADeclinedRenewalIsRetriedOnTheDunningDayAndANewCardRenewsFromThePeriodsEnd()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Bought, RetryOnDayOne);
        var (customerId, key, _) = await SubscribedAsync(silo, "4000000000000341");

        var failed = await AdvanceUntilAsync(silo, customerId, FirstEnd, r => r.GetProperty("attempts").GetInt32() == 1, "first attempt");
        var failedAt = failed.GetProperty("first_failed_at").GetDateTimeOffset();
        Assert.Equal(("scheduled", FirstEnd, failedAt.AddDays(1)), (failed.GetProperty("status").GetString(), failed.GetProperty("renews_at").GetDateTimeOffset(), failed.GetProperty("next_attempt_at").GetDateTimeOffset()));
        using var client = MeteringApiTests.Client(silo, key);
        var lapsedFor = await CollectionScenario.ConsumeAsync(silo, key, HttpStatusCode.Forbidden);
        Assert.Equal("no_active_subscription", lapsedFor.GetProperty("code").GetString());

        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", CollectionScenario.Card("4242424242424242")), HttpStatusCode.Created);
        var renewed = await AdvanceUntilAsync(silo, customerId, failedAt.AddDays(1), r => r.GetProperty("attempts").GetInt32() == 0, "the retry");

        Assert.Equal(("scheduled", FirstEnd.AddDays(30)), (renewed.GetProperty("status").GetString(), renewed.GetProperty("renews_at").GetDateTimeOffset()));
        Assert.Equal([("failed", "generic_decline", 15.00m), ("succeeded", null, 15.00m)], (await RenewalPaymentsAsync(silo, key)).Select(Payment));
        var subscription = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((2_000, FirstEnd.AddDays(30), true), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("end_date").GetDateTimeOffset(), subscription.GetProperty("is_active").GetBoolean()));
    }

    [Fact]
    public async Task ARenewalDeclinedOnEveryRetryLapsesAndIsNotTriedAgain()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Bought, RetryOnDayOne);
        var (customerId, key, _) = await SubscribedAsync(silo, "4000000000000341");
        var failed = await AdvanceUntilAsync(silo, customerId, FirstEnd, r => r.GetProperty("attempts").GetInt32() == 1, "first attempt");

        var lapsed = await AdvanceUntilAsync(silo, customerId, failed.GetProperty("next_attempt_at").GetDateTimeOffset(), r => r.GetProperty("status").GetString() == "lapsed", "lapse");
        silo.Time.Advance(TimeSpan.FromDays(40));
        await Task.Delay(300);

        Assert.Equal(("retries_exhausted", 2), (lapsed.GetProperty("ended_reason").GetString(), lapsed.GetProperty("attempts").GetInt32()));
        Assert.Equal(2, (await RenewalPaymentsAsync(silo, key)).Count);
        Assert.Null(await ReminderDueAsync(silo, customerId));
        Assert.Equal(1_000, (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task RenewalTurnedOffLetsThePlanRunOutAndCanBeTurnedBackOnOnlyBeforeItsEnd()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Bought, RetryOnDayOne);
        var (customerId, key, _) = await SubscribedAsync(silo, "4242424242424242");
        using var client = MeteringApiTests.Client(silo, key);

        var off = await CatalogSilo.ReadAsync(await client.DeleteAsync(new Uri("/api/v1/billing/renewal", UriKind.Relative)), HttpStatusCode.OK);
        var on = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri("/api/v1/billing/renewal/resume", UriKind.Relative), null), HttpStatusCode.OK);
        var offAgain = await CatalogSilo.ReadAsync(await client.DeleteAsync(new Uri("/api/v1/billing/renewal", UriKind.Relative)), HttpStatusCode.OK);
        silo.Time.Advance(FirstEnd.AddDays(2) - silo.Time.GetUtcNow());
        await Task.Delay(300);
        var late = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri("/api/v1/billing/renewal/resume", UriKind.Relative), null), HttpStatusCode.Conflict);

        Assert.Equal(("cancelled", "customer"), (off.GetProperty("status").GetString(), off.GetProperty("ended_reason").GetString()));
        Assert.Equal(("scheduled", FirstEnd), (on.GetProperty("status").GetString(), on.GetProperty("next_attempt_at").GetDateTimeOffset()));
        Assert.Equal("cancelled", offAgain.GetProperty("status").GetString());
        Assert.Equal("renewal_not_resumable", late.GetProperty("code").GetString());
        Assert.Empty(await RenewalPaymentsAsync(silo, key));
        Assert.False((await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public async Task APlanThatIsNotRecurringHasNoRenewal()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Bought, RetryOnDayOne);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK);

        var missing = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/renewal", HttpStatusCode.NotFound);

        Assert.Equal("renewal_not_found", missing.GetProperty("code").GetString());
    }
}
