using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Metering;

/// <summary>
/// Kill -9 the silo process while it is under consume load, restart it on the same PostgreSQL
/// database, and check that nothing acknowledged was lost and nothing unacknowledged broke the books.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const string AdminKey = "crash-test-admin-key-0123456789-abcdefgh";
    private const int Customers = 20;
    private const int Workers = 32;

    [Fact]
    public async Task EveryAcknowledgedConsumeSurvivesAKillAndTheBooksBalance()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("billing-crash-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Billing__Storage"] = "postgres",
            ["ConnectionStrings__Billing"] = database.ConnectionString,
            ["Billing__AdminKey"] = AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
            // Restarted where it ran, as a service manager restarts it: the new silo supersedes the
            // killed one's membership entry at once instead of waiting for it to be voted dead.
            ["Billing__Cluster__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var port = SiloProcess.FreePort();
        var acknowledged = new ConcurrentBag<(string Customer, Guid UsageId, long Tokens)>();
        var unanswered = new ConcurrentDictionary<string, long>();
        List<(string CustomerId, string Key)> customers;

        using (var silo = SiloProcess.Start(workingDirectory, environment, port))
        {
            Assert.Equal(HttpStatusCode.OK, await silo.WaitHealthyAsync(TimeSpan.FromSeconds(30)));
            customers = await CreateCustomersAsync(silo.Url);
            using var stop = new CancellationTokenSource();
            var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => ConsumeUntilKilledAsync(silo.Url, customers, w, acknowledged, unanswered, stop.Token)));
            // Kill once the load is well under way (at least 2 s and 200 acknowledged consumes, at
            // most 20 s): on a busy 2-core machine a cold silo can take seconds to reach speed.
            await Task.Delay(TimeSpan.FromSeconds(2));
            for (var waited = 0; acknowledged.Count < 200 && waited < 180; waited++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            await silo.KillAsync();
            await stop.CancelAsync();
            await load;
        }

        output.WriteLine($"{acknowledged.Count} consumes acknowledged before the kill; {unanswered.Values.Sum()} tokens in requests left unanswered");
        Assert.True(acknowledged.Count > 100, "the silo was killed before the load got going");
        using var restarted = SiloProcess.Start(workingDirectory, environment, port);
        Assert.Equal(HttpStatusCode.OK, await restarted.WaitHealthyAsync(TimeSpan.FromSeconds(30)));
        await AssertDurableAsync(database, acknowledged);
        await AssertBooksBalanceAsync(restarted.Url, customers, acknowledged, unanswered);
        Directory.Delete(workingDirectory, recursive: true);
    }

    private static async Task<List<(string, string)>> CreateCustomersAsync(Uri silo)
    {
        using var admin = new HttpClient { BaseAddress = silo };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var plan = await PostAsync(admin, "/api/v1/admin/plans", new { name = "Crash", price = 1m, currency = "EUR", tokens_included = 1_000_000, duration_days = 30, is_recurring = false });
        var created = new List<(string, string)>();
        for (var i = 0; i < Customers; i++)
        {
            var customer = await PostAsync(admin, "/api/v1/admin/customers", new { name = $"crash {i}", email = $"crash{i}@example.com" });
            var id = customer.GetProperty("id").GetString()!;
            var shop = await PostAsync(admin, $"/api/v1/admin/customers/{id}/shops", new { name = "shop" });
            var key = await PostAsync(admin, $"/api/v1/admin/shops/{shop.GetProperty("id").GetString()}/api-keys", new { name = "k" });
            await PostAsync(admin, $"/api/v1/admin/customers/{id}/subscription", new { plan_id = plan.GetProperty("id").GetString() });
            created.Add((id, key.GetProperty("key").GetString()!));
        }

        return created;
    }

    private static async Task ConsumeUntilKilledAsync(
        Uri silo, List<(string CustomerId, string Key)> customers, int worker,
        ConcurrentBag<(string, Guid, long)> acknowledged, ConcurrentDictionary<string, long> unanswered, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            var (customer, key) = customers[(worker + i) % customers.Count];
            var tokens = 1 + ((worker + i) % 7);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens }) };
            request.Headers.Add("X-API-Key", key);
            try
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                    acknowledged.Add((customer, body.GetProperty("usage_id").GetGuid(), tokens));
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                // The kill cut this request off: it may or may not have been committed.
                unanswered.AddOrUpdate(customer, tokens, (_, sum) => sum + tokens);
                return;
            }
        }
    }

    private static async Task AssertDurableAsync(TestDatabase database, ConcurrentBag<(string Customer, Guid UsageId, long Tokens)> acknowledged)
    {
        await using var postgres = new PostgresDatabase(database.ConnectionString);
        var stored = await StoredUsage.IdsAsync(postgres);
        var lost = acknowledged.Where(a => !stored.Contains(a.UsageId)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged consumes were lost, e.g. {lost.FirstOrDefault()}");
    }

    private static async Task AssertBooksBalanceAsync(
        Uri silo, List<(string CustomerId, string Key)> customers, ConcurrentBag<(string Customer, Guid UsageId, long Tokens)> acknowledged, ConcurrentDictionary<string, long> unanswered)
    {
        using var http = new HttpClient { BaseAddress = silo };
        foreach (var (customer, key) in customers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/subscription");
            request.Headers.Add("X-API-Key", key);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var granted = body.GetProperty("tokens_granted").GetInt64();
            var remaining = body.GetProperty("tokens_remaining").GetInt64();
            var consumed = body.GetProperty("tokens_consumed").GetInt64();
            var acked = acknowledged.Where(a => a.Customer == customer).Sum(a => a.Tokens);
            var maybe = unanswered.GetValueOrDefault(customer);
            Assert.True(granted == remaining + consumed, $"{customer}: granted {granted} != remaining {remaining} + consumed {consumed}");
            Assert.InRange(consumed, acked, acked + maybe);
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
