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
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Metering;

/// <summary>
/// Seeded fault simulation: concurrent consumes over many customers while the journal's batches
/// fail at random. Whatever failed, every customer's stored balance must equal its events, and
/// every acknowledged consume must be among them.
/// </summary>
public sealed class JournalFaultSimulationTests(ITestOutputHelper output)
{
    private static readonly PlanGrant Plan = new("plan_sim", new TokenAmount(100_000), Duration.FromDays(30), new Money(10m, Currency.EUR));

    [Theory]
    [InlineData(StorageOptions.Postgres, 20261121)]
    [InlineData(StorageOptions.Sqlite, 424242)]
    public async Task BalancesEqualEventsAndEveryAcknowledgedConsumeIsStoredDespiteRandomBatchFailures(string dialect, int seed)
    {
        output.WriteLine($"seed {seed} ({dialect}): rerun with this seed to reproduce");
        await using var database = await TestDatabase.CreateAsync(dialect);
        var faults = new RandomFaults(seed, failureRate: 0.15);
        await using var silo = new SiloFactory(database).WithWebHostBuilder(b => b
            .UseSetting("Billing:Journal:MaxBatchSize", "16")
            .UseSetting("Billing:Journal:MinBatchSizeWhileBusy", "4")
            .UseSetting("Billing:Journal:SnapshotIntervalMs", "50")
            .ConfigureServices(s => s.AddSingleton<IUsageJournalStore>(sp => faults.Wrap(UsageJournalStores.For(sp.GetRequiredService<SqlDatabase>())))));
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var customers = Enumerable.Range(0, 40).Select(i => $"cus_sim_{i}").ToList();
        faults.Enabled = false;
        await Task.WhenAll(customers.Select(c => grains.GetGrain<ISubscriptionGrain>(c).GrantAsync(Plan)));
        faults.Enabled = true;

        var random = new Random(seed);
        var plan = Enumerable.Range(0, 3_000).Select(_ => (Customer: customers[random.Next(customers.Count)], Tokens: random.Next(1, 20))).ToList();
        var acknowledged = new Guid?[plan.Count];
        const int Workers = 60;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            for (var i = worker; i < plan.Count; i += Workers)
            {
                acknowledged[i] = await TryConsumeAsync(grains, plan[i].Customer, plan[i].Tokens);
            }
        }));

        faults.Enabled = false;
        Assert.True(faults.Failures > 0, $"seed {seed}: no batch failed, the simulation tested nothing");
        var store = silo.Services.GetRequiredService<MeteringStore>();
        foreach (var customer in customers)
        {
            var stored = await store.LoadSubscriptionAsync(customer, CancellationToken.None);
            var (granted, consumed) = await store.SumEventsAsync(customer, CancellationToken.None);
            Assert.True(stored!.Ledger.Granted.Value == granted && stored.Ledger.Consumed.Value == consumed,
                $"seed {seed}: {customer} stores {stored.Ledger} but its events sum to granted {granted}, consumed {consumed}");
            await Eventually.TrueAsync(async () => (await grains.GetGrain<ISubscriptionGrain>(customer).GetAsync()).TokensConsumed == consumed, $"seed {seed}: {customer}'s grain agrees with storage");
        }

        var storedIds = await StoredUsage.IdsAsync(silo.Services.GetRequiredService<SqlDatabase>());
        Assert.All(acknowledged.OfType<Guid>(), id => Assert.Contains(id, storedIds));
        output.WriteLine($"{faults.Failures} batches failed; {acknowledged.Count(a => a is not null)} of {plan.Count} consumes acknowledged");
    }

    private static async Task<Guid?> TryConsumeAsync(IGrainFactory grains, string customer, long tokens)
    {
        try
        {
            var result = await grains.GetGrain<ISubscriptionGrain>(customer).ConsumeAsync(Command(tokens));
            return result.IsAccepted ? result.UsageId : null;
        }
        catch (JournalWriteException)
        {
            return null;
        }
    }

    private static ConsumeCommand Command(long tokens) => new("shop_sim", "key_sim", new TokenAmount(tokens), null, null, null, null, null, null);

    /// <summary>Fails a batch with the given probability, from a seeded generator; before or after writing it, at random.</summary>
    private sealed class RandomFaults(int seed, double failureRate)
    {
        private readonly Random random = new(seed);
        private int failures;

        public volatile bool Enabled;

        public int Failures => Volatile.Read(ref failures);

        public IUsageJournalStore Wrap(IUsageJournalStore inner) => new Store(this, inner);

        private bool Roll()
        {
            lock (random)
            {
                return Enabled && random.NextDouble() < failureRate;
            }
        }

        private sealed class Store(RandomFaults faults, IUsageJournalStore inner) : IUsageJournalStore
        {
            public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
            {
                if (faults.Roll())
                {
                    Interlocked.Increment(ref faults.failures);
                    throw new IOException("simulated: connection lost before commit");
                }

                await inner.WriteBatchAsync(batch, cancellationToken);
            }

            // Snapshot flushes fail too: the balances must then come back from the events alone.
            public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken) =>
                faults.Roll() ? throw new IOException("simulated: snapshot flush lost") : inner.WriteBalancesAsync(balances, cancellationToken);
        }
    }
}
