using Billing.Domain;
using Billing.Silo.Grains;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Payments;

/// <summary>A purchase whose payment succeeded but whose silo died before the grant: granted later, once.</summary>
public sealed class PaymentGrantSweeperTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ASucceededPaymentLeftUngrantedIsGrantedByTheSweepExactlyOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var customerId = (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("customer_id").GetString()!;
        var payments = silo.Services.GetRequiredService<PaymentStore>();
        var sweeper = silo.Services.GetRequiredService<PaymentGrantSweeper>();
        // The state a crash leaves between "the provider said succeeded" (recorded) and the grant.
        var now = silo.Time.GetUtcNow();
        var paid = new StoredPayment(
            Guid.CreateVersion7(now), customerId, StoredPayment.PlanPurchase, planId, new Money(15.00m, Currency.EUR), StoredPaymentStatus.Succeeded, "sandbox",
            "pi_sandbox_0123456789abcdef01234567", null, null, "visa", "4242", "buy-crashed", "hash", now, now, null);
        Assert.True(await payments.InsertAsync(paid, CancellationToken.None));

        var first = await sweeper.SweepAsync(CancellationToken.None);
        var second = await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first, second));
        var stored = await payments.GetAsync(customerId, paid.PaymentId, CancellationToken.None);
        Assert.NotNull(stored!.GrantedAt);
        var subscription = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription");
        Assert.Equal((1_000, 1_000), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("tokens_remaining").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ConcurrentAndRepeatedGrantsForOnePaymentGrantItsTokensOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var plan = new PlanGrant("plan_concurrent", new TokenAmount(500), null, new Money(5.00m, Currency.EUR));
        var paymentId = Guid.CreateVersion7(silo.Time.GetUtcNow());
        var subscription = grains.Subscription("cus_concurrent");

        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => subscription.GrantForPaymentAsync(plan, paymentId)));
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterReload = await grains.Subscription("cus_concurrent").GrantForPaymentAsync(plan, paymentId);
        var anotherPayment = await grains.Subscription("cus_concurrent").GrantForPaymentAsync(plan, Guid.CreateVersion7(silo.Time.GetUtcNow()));

        Assert.All(together, view => Assert.Equal(500, view.TokensGranted));
        Assert.Equal(500, afterReload.TokensGranted);
        Assert.Equal(1_000, anotherPayment.TokensGranted);
    }

    [Fact]
    public async Task ARecurringPurchaseLeftUngrantedIsGrantedByTheSweepWithItsRenewalScheduled()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Monthly", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true });
        var planId = plan.GetProperty("id").GetString()!;
        var (customerId, _, _, key) = await silo.IssueKeyAsync();
        var now = silo.Time.GetUtcNow();
        var paid = new StoredPayment(
            Guid.CreateVersion7(now), customerId, StoredPayment.PlanPurchase, planId, new Money(15.00m, Currency.EUR), StoredPaymentStatus.Succeeded, "sandbox",
            "pi_sandbox_0123456789abcdef01234568", null, null, "visa", "4242", "buy-crashed", "hash", now, now, null);
        Assert.True(await silo.Services.GetRequiredService<PaymentStore>().InsertAsync(paid, CancellationToken.None));

        Assert.Equal(1, await silo.Services.GetRequiredService<PaymentGrantSweeper>().SweepAsync(CancellationToken.None));

        var renewal = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/renewal");
        Assert.Equal(("scheduled", planId, now.AddDays(30)), (renewal.GetProperty("status").GetString(), renewal.GetProperty("plan_id").GetString(), renewal.GetProperty("renews_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task TheSweepForgetsStripeEventIdsAfterTheirRetention()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var payments = silo.Services.GetRequiredService<PaymentStore>();
        var sweeper = silo.Services.GetRequiredService<PaymentGrantSweeper>();
        Assert.True(await payments.NoteEventAppliedAsync("evt_old", "payment_intent.succeeded", silo.Time.GetUtcNow(), CancellationToken.None));

        silo.Time.Advance(TimeSpan.FromDays(35));
        await sweeper.SweepAsync(CancellationToken.None);
        var kept = await payments.WasEventAppliedAsync("evt_old", CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromMilliseconds(1));
        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal((true, false), (kept, await payments.WasEventAppliedAsync("evt_old", CancellationToken.None)));
    }
}
