using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Metering.Journal;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.Metering;

/// <summary>The subscription grain and the usage journal against real storage of both dialects.</summary>
public sealed class SubscriptionGrainTests
{
    private static readonly PlanGrant Basic = new("plan_basic", new TokenAmount(1_000), Duration.FromDays(30), new Money(15m, Currency.EUR));

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AcceptedConsumeIsDurableWithItsEventAndBalance(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = new SiloFactory(database);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_durable");
        await grain.GrantAsync(Basic);

        var result = await grain.ConsumeAsync(Command(tokens: 10));

        Assert.Equal((ConsumeOutcome.Accepted, 990L, 10L), (result.Outcome, result.TokensRemaining, result.UsedTokens));
        var store = silo.Services.GetRequiredService<MeteringStore>();
        var stored = await store.LoadSubscriptionAsync("cus_durable", CancellationToken.None);
        Assert.Equal(new TokenLedger(new TokenAmount(1_000), new TokenAmount(990), new TokenAmount(10)), stored!.Ledger);
        Assert.Equal(2, stored.Sequence);
        Assert.Equal((1_000L, 10L), await store.SumEventsAsync("cus_durable", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ConcurrentConsumesOnOneCustomerNeverOverspend(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = new SiloFactory(database);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_hot");
        await grain.GrantAsync(Basic);

        var results = await Task.WhenAll(Enumerable.Range(0, 1_500).Select(_ => grain.ConsumeAsync(Command(tokens: 1))));

        Assert.Equal(1_000, results.Count(r => r.Outcome == ConsumeOutcome.Accepted));
        Assert.Equal(500, results.Count(r => r.Outcome == ConsumeOutcome.NoActiveSubscription || r.Outcome == ConsumeOutcome.InsufficientTokens));
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => (long)i), results.Where(r => r.IsAccepted).Select(r => r.TokensRemaining).Order());
        var store = silo.Services.GetRequiredService<MeteringStore>();
        Assert.Equal(TokenAmount.Zero, (await store.LoadSubscriptionAsync("cus_hot", CancellationToken.None))!.Ledger.Remaining);
        Assert.Equal((1_000L, 1_000L), await store.SumEventsAsync("cus_hot", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RetryWithSameKeyAndBodyReplaysTheOriginalAnswerAndDeductsOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = new SiloFactory(database);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_idem");
        await grain.GrantAsync(Basic);

        var first = await grain.ConsumeAsync(Command(tokens: 7, key: "k-1", hash: "h-a"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.ConsumeAsync(Command(tokens: 7, key: "k-1", hash: "h-a"))));
        var reused = await grain.ConsumeAsync(Command(tokens: 8, key: "k-1", hash: "h-b"));

        Assert.Equal((ConsumeOutcome.Accepted, 993L), (first.Outcome, first.TokensRemaining));
        Assert.All(concurrent, r => Assert.Equal((ConsumeOutcome.Replayed, 993L, 7L, first.UsageId), (r.Outcome, r.TokensRemaining, r.UsedTokens, r.UsageId)));
        Assert.Equal(ConsumeOutcome.IdempotencyKeyReused, reused.Outcome);
        Assert.Equal(993, (await grain.GetAsync()).TokensRemaining);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task IdempotencyKeysSurviveRestartAndAreKeptPerShop(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        Guid? usageId;
        await using (var silo = new SiloFactory(database))
        {
            var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_restart");
            await grain.GrantAsync(Basic);
            usageId = (await grain.ConsumeAsync(Command(tokens: 5, key: "k-9", hash: "h"))).UsageId;
        }

        await using var restarted = new SiloFactory(database);
        var again = restarted.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_restart");
        var replay = await again.ConsumeAsync(Command(tokens: 5, key: "k-9", hash: "h"));
        var otherShop = await again.ConsumeAsync(Command(tokens: 5, key: "k-9", hash: "h") with { ShopId = "shop_2" });

        Assert.Equal((ConsumeOutcome.Replayed, 995L, usageId), (replay.Outcome, replay.TokensRemaining, replay.UsageId));
        Assert.Equal((ConsumeOutcome.Accepted, 990L), (otherShop.Outcome, otherShop.TokensRemaining));
    }

    [Fact]
    public async Task LostJournalWriteFencesTheCustomerAndTheNextActivationReloadsTheDurableBalance()
    {
        await using var database = TestDatabase.CreateSqlite();
        var failing = new FailingJournalStore();
        await using var silo = new SiloFactory(database).WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<IUsageJournalStore>(sp => failing.Wrap(UsageJournalStores.For(sp.GetRequiredService<SqlDatabase>())))));
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_fenced");
        await grain.GrantAsync(Basic);

        failing.FailNext = true;
        await Assert.ThrowsAsync<JournalWriteException>(() => grain.ConsumeAsync(Command(tokens: 100)));
        await Eventually.TrueAsync(async () => (await grain.GetAsync()).TokensRemaining == 1_000, "the reloaded, durable balance");

        var after = await grain.ConsumeAsync(Command(tokens: 1));
        Assert.Equal((ConsumeOutcome.Accepted, 999L), (after.Outcome, after.TokensRemaining));
        Assert.Equal((1_000L, 1L), await silo.Services.GetRequiredService<MeteringStore>().SumEventsAsync("cus_fenced", CancellationToken.None));
    }

    private static ConsumeCommand Command(long tokens, string? key = null, string? hash = null) =>
        new("shop_1", "key_1", new TokenAmount(tokens), "test", "/v1/chat", "POST", 200, key, hash);

    /// <summary>Fails the next batch on demand, as a database that went away would.</summary>
    private sealed class FailingJournalStore
    {
        public volatile bool FailNext;

        public IUsageJournalStore Wrap(IUsageJournalStore inner) => new Store(this, inner);

        private sealed class Store(FailingJournalStore owner, IUsageJournalStore inner) : IUsageJournalStore
        {
            public Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
            {
                if (owner.FailNext)
                {
                    owner.FailNext = false;
                    throw new IOException("disk went away");
                }

                return inner.WriteBatchAsync(batch, cancellationToken);
            }

            public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken) =>
                inner.WriteBalancesAsync(balances, cancellationToken);
        }
    }
}
