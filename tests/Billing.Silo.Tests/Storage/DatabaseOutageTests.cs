using System.Diagnostics;
using System.Net;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Alerts;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// PostgreSQL stopped under load and started again, on a cluster of the test's own (see
/// <see cref="PrivatePostgres"/>): while it is down consumes are refused with a 503 to retry and
/// nothing is charged for them; once it is back the silo recovers by itself, without a restart;
/// no acknowledged consume is lost or charged twice, and the month-end close that fell due inside
/// the outage happens once afterwards.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const long Granted = 1_000_000; // BillingScenario's plan
    private const int Workers = 8;
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

    // Amsterdam's November ends at 23:00 UTC; with the hour of grace its close is due at midnight UTC.
    private static readonly DateTimeOffset NovemberEnd = new(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CloseDue = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxRecovery = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PostgresStoppedUnderLoadRefusesConsumesWith503ThenRecoversByItselfLosingNothingAndClosesTheMonthOnce()
    {
        var watch = Stopwatch.StartNew();
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not disposed on its own: it lives in the private cluster, which is deleted whole.
        var database = await TestDatabase.CreatePostgresAsync(postgres.ServerConnectionString);
        var logs = new CapturedLogs();
        var silo = CatalogSilo.Start(database, services => services.AddSingleton<ILoggerProvider>(logs), BeforeMonthEnd);
        try
        {
            var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
            output.WriteLine($"cluster, silo and customer ready after {watch.ElapsedMilliseconds} ms");
            var load = new OutageLoad(() => BillingScenario.Client(silo, key), watch);
            using var stop = new CancellationTokenSource();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var running = load.RunAsync(Workers, stop.Token, deadline.Token);

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var acknowledgedBefore = load.Acknowledged.Count;
            await postgres.StopServerAsync();
            var downAtMs = watch.ElapsedMilliseconds;
            await MonthEndsAsync(silo, logs, shopId);
            var (readyWhileDown, liveWhileDown) = (await ProbeAsync(silo, "/health/ready"), await ProbeAsync(silo, "/health/live"));
            var downForMs = watch.ElapsedMilliseconds - downAtMs;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, Outage.TotalMilliseconds - downForMs)));
            await postgres.StartServerAsync();
            var upAtMs = watch.ElapsedMilliseconds;
            var (readyAfterMs, acknowledgedAfterMs) = await RecoveryAsync(silo, load, watch);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await running;
            var invoicesBeforeTick = await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices");
            // The tick that fell into the outage failed; the reminder's next one, a minute later, closes November.
            await BillingScenario.AdvanceAndTickAsync(silo, CloseDue + TimeSpan.FromMinutes(2));

            var refusals = load.Refusals.ToList();
            output.WriteLine(
                $"database down {upAtMs - downAtMs} ms; ready again {readyAfterMs} ms and first consume acknowledged {acknowledgedAfterMs} ms after the restart; "
                + $"{load.Acknowledged.Count} events acknowledged ({acknowledgedBefore} before the outage), {refusals.Count} answers refused, {load.Replayed} replayed; {watch.ElapsedMilliseconds} ms so far");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (readyWhileDown, liveWhileDown));
            Assert.True(acknowledgedBefore > 0 && refusals.Count > 0, "the load saw no acknowledged consume before the outage or no refusal during it");
            Assert.All(refusals, r => Assert.Equal((503, "storage_unavailable", true), (r.Status, r.Code, r.RetryAfterSeconds >= 1)));

            // Exactly the acknowledged events are stored, each once; the balance is the grant less them.
            var stored = await StoredAsync(silo, customerId);
            Assert.Equal(load.Acknowledged.OrderBy(a => a.Key, StringComparer.Ordinal), stored.OrderBy(s => s.Key, StringComparer.Ordinal));
            var consumed = load.Acknowledged.Values.Sum(a => a.Tokens);
            await AssertBalanceAsync(silo, key, consumed);

            // November closed once, after the outage, with every November event.
            Assert.Equal(0, invoicesBeforeTick);
            Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(silo));
            var novemberEvents = await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM usage_events WHERE customer_id = '{customerId}' AND occurred_at_ms < {NovemberEnd.ToUnixTimeMilliseconds()}");
            Assert.Equal(novemberEvents, await BillingScenario.CountAsync(silo, $"SELECT requests FROM billing_periods WHERE shop_id = '{shopId}' AND period_start = '2026-11-01'"));

            // And a restarted silo reads back the same balance and bills nothing again.
            await silo.DisposeAsync();
            silo = CatalogSilo.Start(database, configure: null, now: CloseDue + TimeSpan.FromMinutes(5));
            await AssertBalanceAsync(silo, key, consumed);
            Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(silo));
            output.WriteLine($"{watch.ElapsedMilliseconds} ms in all");
        }
        finally
        {
            // A silo stops quickly only with its database up; a failed test may have left it down.
            await postgres.EnsureRunningAsync();
            await silo.DisposeAsync();
        }
    }

    /// <summary>
    /// Moves the clock to November's close, then on a millisecond a look (Orleans delivers an overdue
    /// tick a millisecond later on the reminders' clock) until the tick's close has failed: the close
    /// reminder ticked while the database was away.
    /// </summary>
    private static Task MonthEndsAsync(CatalogSilo silo, CapturedLogs logs, string shopId)
    {
        silo.Time.Advance(CloseDue - silo.Time.GetUtcNow());
        return Eventually.TrueAsync(
            () =>
            {
                silo.Time.Advance(TimeSpan.FromMilliseconds(1));
                return logs.Contains($"Shop {shopId}: reminder close call failed");
            },
            "November's close reminder ticks and its close fails during the outage",
            timeoutMs: 20_000); // seconds; once 9 s, on 2 cores under a load average of 20
    }

    /// <summary>How long after the restart (now) /health/ready is 200 again and a consume is acknowledged again; each within <see cref="MaxRecovery"/>, without a silo restart.</summary>
    private static async Task<(long ReadyAfterMs, long AcknowledgedAfterMs)> RecoveryAsync(CatalogSilo silo, OutageLoad load, Stopwatch watch)
    {
        var upAtMs = watch.ElapsedMilliseconds;
        await Eventually.TrueAsync(async () => await ProbeAsync(silo, "/health/ready") == HttpStatusCode.OK, "/health/ready is 200 again", (int)MaxRecovery.TotalMilliseconds);
        var readyAfterMs = watch.ElapsedMilliseconds - upAtMs;
        await Eventually.TrueAsync(() => load.AcknowledgedAtMs.Any(at => at > upAtMs), "a consume is acknowledged again", (int)MaxRecovery.TotalMilliseconds);
        return (readyAfterMs, load.AcknowledgedAtMs.Where(at => at > upAtMs).Min() - upAtMs);
    }

    private static async Task<HttpStatusCode> ProbeAsync(CatalogSilo silo, string path)
    {
        using var client = silo.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task AssertBalanceAsync(CatalogSilo silo, string key, long consumed)
    {
        using var client = BillingScenario.Client(silo, key);
        var subscription = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((Granted - consumed, consumed), (subscription.GetProperty("tokens_remaining").GetInt64(), subscription.GetProperty("tokens_consumed").GetInt64()));
    }

    private static async Task<Dictionary<string, (long Tokens, Guid UsageId)>> StoredAsync(CatalogSilo silo, string customerId)
    {
        var rows = await silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync(
            "SELECT idempotency_key, tokens, usage_id FROM usage_events WHERE customer_id = @customer_id",
            c => c.With("customer_id", customerId),
            r => (Key: r.GetString(0), Tokens: r.GetInt64(1), UsageId: r.GetGuid(2)),
            CancellationToken.None);
        return rows.ToDictionary(r => r.Key, r => (r.Tokens, r.UsageId), StringComparer.Ordinal);
    }
}
