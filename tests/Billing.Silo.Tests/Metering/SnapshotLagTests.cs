using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Metering.Journal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.Metering;

/// <summary>Balance snapshots lag the events between flushes; what a grain loads never does.</summary>
public sealed class SnapshotLagTests
{
    private static readonly PlanGrant Plan = new("plan_lag", new TokenAmount(500), Duration.FromDays(30), new Money(5m, Currency.EUR));

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task LoadedBalanceReplaysEventsAfterALaggingSnapshotAndAFlushCatchesTheRowUp(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = new SiloFactory(database).WithWebHostBuilder(b => b.UseSetting("Billing:Journal:SnapshotIntervalMs", "600000"));
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionGrain>("cus_lag");
        var journal = silo.Services.GetRequiredService<UsageJournal>();
        var store = silo.Services.GetRequiredService<MeteringStore>();

        await grain.GrantAsync(Plan);
        await journal.FlushBalancesAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await grain.ConsumeAsync(new ConsumeCommand("shop_lag", "key_lag", new TokenAmount(7), null, null, null, null, null, null));
        }

        Assert.Equal((1L, 500L), await StoredSnapshotAsync(silo.Services.GetRequiredService<SqlDatabase>()));
        var loaded = await store.LoadSubscriptionAsync("cus_lag", CancellationToken.None);
        Assert.Equal(new TokenLedger(new TokenAmount(500), new TokenAmount(465), new TokenAmount(35)), loaded!.Ledger);
        Assert.Equal((6L, "plan_lag"), (loaded.Sequence, loaded.PlanId));

        await journal.FlushBalancesAsync(CancellationToken.None);
        Assert.Equal((6L, 465L), await StoredSnapshotAsync(silo.Services.GetRequiredService<SqlDatabase>()));
        Assert.Equal(0, journal.UnflushedBalances);
    }

    [Fact]
    public void ReplayWithoutSnapshotTakesTheLatestGrantsTerms()
    {
        var grants = new[]
        {
            new GrantRecord(Guid.NewGuid(), "c", "plan_a", 1, 100, 1_000, 1_000, 2_000, 50_000_000, "EUR"),
            new GrantRecord(Guid.NewGuid(), "c", "plan_b", 3, 300, 1_500, 1_000, 9_000, 20_000_000, "EUR"),
        };

        var rebuilt = SubscriptionReplay.Apply("c", null, grants, tokensUsedAfter: 40, lastUsageSequence: 4)!;

        Assert.Equal(new TokenLedger(new TokenAmount(400), new TokenAmount(360), new TokenAmount(40)), rebuilt.Ledger);
        Assert.Equal(("plan_b", 4L), (rebuilt.PlanId, rebuilt.Sequence));
        Assert.Equal(Instant.FromUnixTimeMilliseconds(9_000), rebuilt.EndsAt);
        Assert.Equal(new Money(0.02m, Currency.EUR), rebuilt.PricePerToken);
    }

    [Fact]
    public void ReplayRefusesEventsThatConsumeMoreThanWasGranted()
    {
        var grant = new GrantRecord(Guid.NewGuid(), "c", "plan_a", 1, 10, 0, 0, null, 1, "EUR");

        Assert.Throws<InvariantViolationException>(() => SubscriptionReplay.Apply("c", null, [grant], tokensUsedAfter: 11, lastUsageSequence: 2));
    }

    private static Task<(long Sequence, long Remaining)> StoredSnapshotAsync(SqlDatabase database) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT seq, tokens_remaining FROM subscriptions WHERE customer_id = 'cus_lag'");
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                return (reader.GetInt64(0), reader.GetInt64(1));
            },
            CancellationToken.None);
}
