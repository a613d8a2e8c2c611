using System.Collections.Concurrent;
using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;
using Billing.Silo.Metering.Journal;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.TestingHost;

/// <summary>A customer with one shop and one API key, as the load meters it.</summary>
internal sealed record ClusterCustomer(string CustomerId, string ShopId, string KeyId);

/// <summary>
/// Consumes through the cluster's client, one loop per customer, each consume with its own
/// idempotency key. A call that fails the way a dying or stopping silo makes it fail is sent
/// again with the same key (bounded), as a front door's client retries a 503.
/// </summary>
internal sealed class ClusterLoad(IGrainFactory grains, IReadOnlyList<ClusterCustomer> customers)
{
    public const long GrantedTokens = 1_000_000;

    private const int MaxConsumesPerCustomer = 2_000;
    private const int MaxAttempts = 40;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> servedAfterMark = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> failures = new();
    private long markedAt = long.MaxValue;
    private int unanswered;
    private int retries;

    public ConcurrentBag<(string Customer, Guid UsageId, long Tokens)> Acknowledged { get; } = [];

    public int Unanswered => Volatile.Read(ref unanswered);

    public int Retries => Volatile.Read(ref retries);

    /// <summary>Failures no retry covers (an unexpected exception, a refused consume); the test fails on any.</summary>
    public IReadOnlyCollection<string> Failures => failures;

    /// <summary>Every customer had a consume that was first sent after <see cref="Mark"/> acknowledged.</summary>
    public bool EveryCustomerServedAfterMark => servedAfterMark.Count == customers.Count;

    /// <summary>Customers, shops, keys and a granted plan, made the way the admin API makes them (catalog rows, then the grains).</summary>
    public static async Task<List<ClusterCustomer>> CreateCustomersAsync(BillingTestCluster cluster, int count)
    {
        var catalog = cluster.Silos[0].ServiceProvider.GetRequiredService<CatalogStore>();
        var plan = new PlanGrant("plan_testinghost", new TokenAmount(GrantedTokens), Duration.FromDays(365), new Money(10m, Currency.EUR));
        var created = new List<ClusterCustomer>(count);
        for (var i = 0; i < count; i++)
        {
            var customer = new CustomerProfile(CatalogIds.New(CatalogIds.Customer), $"load {i}", $"load{i}@example.com", Currency.EUR, "UTC", 0.21m);
            var shop = new Shop(CatalogIds.New(CatalogIds.Shop), customer.Id, $"shop {i}");
            await catalog.CreateCustomerAsync(customer, CancellationToken.None);
            Assert.True(await catalog.CreateShopAsync(shop, CancellationToken.None));
            var key = await catalog.IssueApiKeyAsync(shop.Id, "load", CancellationToken.None);
            await cluster.Client.GetGrain<IShopGrain>(shop.Id).EnsureBillingAsync();
            await cluster.Client.GetGrain<ISubscriptionGrain>(customer.Id).GrantAsync(plan);
            created.Add(new ClusterCustomer(customer.Id, shop.Id, key!.Id));
        }

        return created;
    }

    /// <summary>From now on, a consume sent counts towards <see cref="EveryCustomerServedAfterMark"/>.</summary>
    public void Mark() => Interlocked.Exchange(ref markedAt, TimeProvider.System.GetTimestamp());

    /// <summary>Runs until <paramref name="stop"/> (or each customer's bounded count of consumes); a consume under way finishes first.</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(customers.Select(c => Task.Run(() => RunCustomerAsync(c, stop), CancellationToken.None)));

    private async Task RunCustomerAsync(ClusterCustomer customer, CancellationToken stop)
    {
        for (var n = 0; n < MaxConsumesPerCustomer && !stop.IsCancellationRequested; n++)
        {
            await ConsumeAsync(customer, n);
        }
    }

    private async Task ConsumeAsync(ClusterCustomer customer, int n)
    {
        var tokens = 1 + (n % 9);
        var key = $"{customer.CustomerId}-{n}";
        var command = new ConsumeCommand(customer.ShopId, customer.KeyId, new TokenAmount(tokens), null, "/v1/search", "POST", 200, key, $"hash-{tokens}");
        var grain = grains.GetGrain<ISubscriptionGrain>(customer.CustomerId);
        var sentAt = TimeProvider.System.GetTimestamp();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                var result = await grain.ConsumeAsync(command).WaitAsync(AttemptTimeout);
                if (!result.IsAccepted)
                {
                    failures.Enqueue($"{key}: {result.Outcome}");
                    return;
                }

                Acknowledged.Add((customer.CustomerId, result.UsageId!.Value, tokens));
                if (sentAt >= Volatile.Read(ref markedAt))
                {
                    servedAfterMark.TryAdd(customer.CustomerId, 0);
                }

                return;
            }
            catch (Exception error) when (error is OrleansException or TimeoutException or JournalWriteException or DbException)
            {
                // The silo died or is stopping, a message was refused on the way, or the journal
                // refused the write: nothing or this very consume was charged; the same key tells which.
                Interlocked.Increment(ref retries);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * Math.Min(attempt, 10)));
            }
            catch (Exception error)
            {
                failures.Enqueue($"{key}: {error.GetType().Name}: {error.Message}");
                return;
            }
        }

        Interlocked.Increment(ref unanswered);
    }
}
