using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Metering.Journal;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Metering;

/// <summary>
/// Two activations of one customer at once, as a membership change can make for a moment: here
/// for good, as two single-silo clusters (different cluster ids) on one database, each with its own
/// journal and its own activation of the customer's grain, both consuming concurrently. Seeded and
/// bounded. Money must stay safe: no token spent twice, every accepted consume stored exactly once,
/// the books balance in the snapshot row and in a freshly loaded grain on a third silo.
/// </summary>
public sealed class SplitBrainTests(ITestOutputHelper output)
{
    private const int ConsumesPerSilo = 200;
    private const int WorkersPerSilo = 4;
    private const int MaxAttempts = 40;

    public static TheoryData<string, int> Dialects => new() { { StorageOptions.Postgres, 20261122 }, { StorageOptions.Sqlite, 5150 } };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TwoActivationsConsumingOneBalanceNeverSpendATokenTwice(string dialect, int seed)
    {
        output.WriteLine($"seed {seed} ({dialect}): rerun with this seed to reproduce");
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var brain = await SplitBrain.StartAsync(database, planTokens: 3_000);

        // About 4,000 tokens asked of 3,000, so both sides run dry.
        var load = new ConsumeLoad(brain.Key, Asks(seed));
        await Task.WhenAll(load.RunAsync(brain.A, "a"), load.RunAsync(brain.B, "b"));

        output.WriteLine($"{load.Accepted.Count} accepted ({load.Accepted.Sum(a => a.Tokens)} tokens), {load.Refused} refused, {load.Retries} retried 503s, {load.Unanswered} unanswered");
        Assert.True(load.Retries > 0, $"seed {seed}: the two activations never collided; the test tested nothing");
        Assert.True(load.Accepted.Sum(a => a.Tokens) <= 3_000, $"seed {seed}: {load.Accepted.Sum(a => a.Tokens)} tokens accepted of 3000 granted");
        await brain.AssertBooksAsync(load, grantedTokens: 3_000, seed);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task GrantsRacingConsumesOnTheOtherActivationAreNeitherLostNorSpentTwice(string dialect, int seed)
    {
        output.WriteLine($"seed {seed} ({dialect}): rerun with this seed to reproduce");
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var brain = await SplitBrain.StartAsync(database, planTokens: 500);

        // Each grant renews 500 tokens; about 4,000 tokens are asked of at most 500 + 6 x 500.
        var load = new ConsumeLoad(brain.Key, Asks(seed));
        var grants = Task.WhenAll(brain.GrantRepeatedlyAsync(brain.A, times: 3, load), brain.GrantRepeatedlyAsync(brain.B, times: 3, load));
        await Task.WhenAll(load.RunAsync(brain.A, "a"), load.RunAsync(brain.B, "b"), grants);

        var granted = 500 + (500 * load.Grants);
        output.WriteLine($"{load.Grants} of 6 grants made; {load.Accepted.Count} accepted ({load.Accepted.Sum(a => a.Tokens)} tokens), {load.Refused} refused, {load.Retries} retried 503s, {load.Unanswered} unanswered");
        Assert.True(load.Retries > 0, $"seed {seed}: the two activations never collided; the test tested nothing");
        Assert.Equal(6, load.Grants);
        Assert.True(load.Accepted.Sum(a => a.Tokens) <= granted, $"seed {seed}: {load.Accepted.Sum(a => a.Tokens)} tokens accepted of {granted} granted");
        await brain.AssertBooksAsync(load, granted, seed);
    }

    /// <summary>What each of the 400 consumes asks for: 1 to 19 tokens, about 4,000 in all.</summary>
    private static long[] Asks(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 2 * ConsumesPerSilo).Select(_ => (long)random.Next(1, 20))];
    }

    /// <summary>Consumes with idempotency keys from both silos; a 503 is retried with the same key, a bounded number of times.</summary>
    private sealed class ConsumeLoad(string apiKey, long[] asks)
    {
        private int refused;
        private int retries;
        private int unanswered;
        private int grants;
        private int done;

        public ConcurrentBag<(Guid UsageId, long Tokens, string IdempotencyKey)> Accepted { get; } = [];

        public int Refused => Volatile.Read(ref refused);

        public int Retries => Volatile.Read(ref retries);

        public int Unanswered => Volatile.Read(ref unanswered);

        public int Grants => Volatile.Read(ref grants);

        /// <summary>Consumes answered so far, on both sides.</summary>
        public int Done => Volatile.Read(ref done);

        public void Granted() => Interlocked.Increment(ref grants);

        public void Retried() => Interlocked.Increment(ref retries);

        public Task RunAsync(CatalogSilo silo, string side) => Task.WhenAll(Enumerable.Range(0, WorkersPerSilo).Select(async worker =>
        {
            using var client = silo.CreateClient();
            for (var i = worker; i < ConsumesPerSilo; i += WorkersPerSilo)
            {
                var tokens = asks[(side == "a" ? 0 : ConsumesPerSilo) + i];
                await ConsumeAsync(client, $"{side}-{i}", tokens);
                Interlocked.Increment(ref done);
            }
        }));

        private async Task ConsumeAsync(HttpClient client, string idempotencyKey, long tokens)
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens }) };
                request.Headers.Add("X-API-Key", apiKey);
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        Accepted.Add((JsonDocument.Parse(text).RootElement.GetProperty("usage_id").GetGuid(), tokens, idempotencyKey));
                        return;
                    case HttpStatusCode.PaymentRequired or HttpStatusCode.Forbidden:
                        Interlocked.Increment(ref refused);
                        return;
                    case HttpStatusCode.ServiceUnavailable:
                        Assert.Contains("journal_unavailable", text, StringComparison.Ordinal);
                        Retried();
                        await Task.Delay(5 * attempt);
                        break;
                    default:
                        Assert.Fail($"{idempotencyKey}: {(int)response.StatusCode} {text}");
                        break;
                }
            }

            Interlocked.Increment(ref unanswered);
        }
    }

    /// <summary>Two silos of different clusters on one database, a customer with a plan, and the customer's grain active on both.</summary>
    private sealed class SplitBrain : IAsyncDisposable
    {
        private SplitBrain(TestDatabase database, CatalogSilo a, CatalogSilo b)
        {
            Database = database;
            A = a;
            B = b;
        }

        public TestDatabase Database { get; }

        public CatalogSilo A { get; }

        public CatalogSilo B { get; }

        public string CustomerId { get; private set; } = "";

        public string Key { get; private set; } = "";

        public string PlanId { get; private set; } = "";

        public static async Task<SplitBrain> StartAsync(TestDatabase database, long planTokens)
        {
            var a = StartSilo(database, "split-a");
            await a.GetAsync(a.CreateClient(), "/health"); // migrated before the second silo starts
            var brain = new SplitBrain(database, a, StartSilo(database, "split-b"));
            var plan = await a.PostAsync("/api/v1/admin/plans", new { name = "Split", price = 30m, currency = "EUR", tokens_included = planTokens, duration_days = 30, is_recurring = false });
            (brain.CustomerId, _, _, brain.Key) = await a.IssueKeyAsync();
            brain.PlanId = plan.GetProperty("id").GetString()!;
            await a.PostAsync($"/api/v1/admin/customers/{brain.CustomerId}/subscription", new { plan_id = brain.PlanId }, HttpStatusCode.OK);

            // Both activations load the granted balance before either consumes.
            Assert.Equal(planTokens, (await brain.SubscriptionAsync(a)).Remaining);
            Assert.Equal(planTokens, (await brain.SubscriptionAsync(brain.B)).Remaining);
            return brain;
        }

        /// <summary>Renews the plan from this silo while the consumes run, each after a share of them; a 503 is retried (it granted nothing).</summary>
        public async Task GrantRepeatedlyAsync(CatalogSilo silo, int times, ConsumeLoad load)
        {
            for (var grant = 1; grant <= times; grant++)
            {
                while (load.Done < grant * 2 * ConsumesPerSilo / (times + 1))
                {
                    await Task.Delay(2);
                }

                for (var attempt = 1; ; attempt++)
                {
                    using var response = await silo.Admin.PostAsJsonAsync($"/api/v1/admin/customers/{CustomerId}/subscription", new { plan_id = PlanId });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        load.Granted();
                        break;
                    }

                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < MaxAttempts, $"grant: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    load.Retried();
                    await Task.Delay(5 * attempt);
                }
            }
        }

        public async Task<(long Granted, long Remaining, long Consumed)> SubscriptionAsync(CatalogSilo silo)
        {
            using var client = silo.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            var body = await silo.GetAsync(client, "/api/v1/billing/subscription");
            return (body.GetProperty("tokens_granted").GetInt64(), body.GetProperty("tokens_remaining").GetInt64(), body.GetProperty("tokens_consumed").GetInt64());
        }

        /// <summary>
        /// The stored events are exactly the accepted consumes and the grants, on seqs 1..n once each;
        /// the snapshot row after both journals flushed and a grain loaded on a third silo both say
        /// granted = remaining + consumed with the events' amounts.
        /// </summary>
        public async Task AssertBooksAsync(ConsumeLoad load, long grantedTokens, int seed)
        {
            var acceptedTokens = load.Accepted.Sum(a => a.Tokens);
            await A.Services.GetRequiredService<UsageJournal>().FlushBalancesAsync(CancellationToken.None);
            await B.Services.GetRequiredService<UsageJournal>().FlushBalancesAsync(CancellationToken.None);
            await using var third = StartSilo(Database, "split-c");
            var sql = third.Services.GetRequiredService<SqlDatabase>();

            var events = await EventsAsync(sql);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(s => (long)s), events.Select(e => e.Seq));
            var usage = events.Where(e => e.Kind == "u").ToList();
            Assert.Equal(load.Accepted.Select(a => a.UsageId.ToString()).Order(), usage.Select(u => u.Id).Order());
            Assert.Equal((grantedTokens, acceptedTokens), (events.Where(e => e.Kind == "g").Sum(e => e.Tokens), usage.Sum(u => u.Tokens)));

            var snapshot = await SnapshotAsync(sql);
            Assert.True(
                snapshot == (events.Count, grantedTokens, grantedTokens - acceptedTokens, acceptedTokens),
                $"seed {seed}: snapshot {snapshot}, events: {events.Count} up to seq, granted {grantedTokens}, consumed {acceptedTokens}");
            Assert.Equal((grantedTokens, grantedTokens - acceptedTokens, acceptedTokens), await SubscriptionAsync(third));
        }

        private Task<List<(long Seq, string Kind, string Id, long Tokens)>> EventsAsync(SqlDatabase sql) =>
            sql.ReadAsync(
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand("""
                        SELECT seq, 'u', CAST(usage_id AS TEXT), tokens FROM usage_events WHERE customer_id = @c
                        UNION ALL
                        SELECT seq, 'g', CAST(grant_id AS TEXT), tokens FROM token_grants WHERE customer_id = @c
                        ORDER BY 1
                        """).With("c", CustomerId);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    var rows = new List<(long, string, string, long)>();
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                    }

                    return rows;
                },
                CancellationToken.None);

        private Task<(long Seq, long Granted, long Remaining, long Consumed)> SnapshotAsync(SqlDatabase sql) =>
            sql.ReadAsync(
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand("SELECT seq, tokens_granted, tokens_remaining, tokens_consumed FROM subscriptions WHERE customer_id = @c")
                        .With("c", CustomerId);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    Assert.True(await reader.ReadAsync(ct), "no snapshot row after both journals flushed");
                    return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                },
                CancellationToken.None);

        private static CatalogSilo StartSilo(TestDatabase database, string clusterId) =>
            CatalogSilo.Start(database, configure: null, new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), new Dictionary<string, string>
            {
                ["Billing:Cluster:ClusterId"] = clusterId,
                ["Logging:LogLevel:Default"] = "Warning",
            });

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }
}
