using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Grains;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Metering;
using NodaTime.Text;
using Npgsql;

namespace Billing.Silo.Tests.Cluster;

/// <summary>The customers and shops a failover test needs, and what it reads back from the database.</summary>
internal static class FailoverScenario
{
    /// <summary>Load customers, each with a shop, an API key and a million tokens; admin calls spread over the silos.</summary>
    public static async Task<List<LoadCustomer>> CreateLoadCustomersAsync(IReadOnlyList<Uri> silos, int count)
    {
        using var first = Admin(silos[0]);
        var plan = await PostAsync(first, "/api/v1/admin/plans", new { name = "Failover", price = 1m, currency = "EUR", tokens_included = 1_000_000, duration_days = 30, is_recurring = false });
        var created = new List<LoadCustomer>();
        for (var i = 0; i < count; i++)
        {
            using var admin = Admin(silos[i % silos.Count]);
            var id = (await PostAsync(admin, "/api/v1/admin/customers", new { name = $"load {i}", email = $"load{i}@example.com" })).GetProperty("id").GetString()!;
            var shop = await PostAsync(admin, $"/api/v1/admin/customers/{id}/shops", new { name = "shop" });
            var key = await PostAsync(admin, $"/api/v1/admin/shops/{shop.GetProperty("id").GetString()}/api-keys", new { name = "k" });
            await PostAsync(admin, $"/api/v1/admin/customers/{id}/subscription", new { plan_id = plan.GetProperty("id").GetString() });
            created.Add(new LoadCustomer(id, key.GetProperty("key").GetString()!));
        }

        return created;
    }

    /// <summary>Shops that only wait for their close (no usage); each registers its close reminder when created.</summary>
    public static async Task<List<string>> CreateReminderShopsAsync(IReadOnlyList<Uri> silos, int count)
    {
        using var first = Admin(silos[0]);
        var customer = (await PostAsync(first, "/api/v1/admin/customers", new { name = "closing", email = "closing@example.com" })).GetProperty("id").GetString()!;
        var shops = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var admin = Admin(silos[i % silos.Count]);
            shops.Add((await PostAsync(admin, $"/api/v1/admin/customers/{customer}/shops", new { name = $"closing {i}" })).GetProperty("id").GetString()!);
        }

        return shops;
    }

    /// <summary>
    /// Moves each shop's open period back to the calendar period before it, which has ended: the
    /// shop's next close is due at once, and nothing but its reminder closes it (nobody meters it,
    /// no billing run). Every grain reads its open period from this row when it closes.
    /// </summary>
    /// <returns>Each shop's moved-back period start (ISO date), the period its reminder will invoice.</returns>
    public static async Task<Dictionary<string, string>> MoveOpenPeriodsBackAsync(NpgsqlConnection connection, IReadOnlyCollection<string> shops)
    {
        var open = new List<(string Shop, BillingPeriod Previous)>();
        await using (var read = new NpgsqlCommand("SELECT shop_id, period_start, cycle, zone FROM billing_periods WHERE is_current AND shop_id = ANY(@shops)", connection))
        {
            read.Parameters.AddWithValue("shops", shops.ToArray());
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var start = LocalDatePattern.Iso.Parse(reader.GetString(1)).GetValueOrThrow();
                open.Add((reader.GetString(0), BillingPeriod.Containing(start.PlusDays(-1), BillingCycles.Parse(reader.GetString(2)), reader.GetString(3))));
            }
        }

        Assert.Equal(shops.Count, open.Count);
        foreach (var (shop, previous) in open)
        {
            await using var update = new NpgsqlCommand(
                "UPDATE billing_periods SET period_start = @start, period_end = @end, start_ms = @start_ms, end_ms = @end_ms WHERE shop_id = @shop AND is_current", connection);
            update.Parameters.AddWithValue("start", LocalDatePattern.Iso.Format(previous.Start));
            update.Parameters.AddWithValue("end", LocalDatePattern.Iso.Format(previous.EndExclusive));
            update.Parameters.AddWithValue("start_ms", previous.StartInstant.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("end_ms", previous.EndInstant.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("shop", shop);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        return open.ToDictionary(o => o.Shop, o => LocalDatePattern.Iso.Format(o.Previous.Start));
    }

    /// <summary>The shops' close reminder rows: shop id → grain hash (what places the row on the reminder ring).</summary>
    public static async Task<Dictionary<string, int>> CloseRemindersAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT grainid, grainhash FROM orleansremindertable WHERE remindername = @name", connection);
        command.Parameters.AddWithValue("name", ShopGrain.CloseReminder);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            // Orleans writes the grain id as "<type>/<key>"; the shop grain's type is "shop".
            rows[reader.GetString(0)["shop/".Length..]] = reader.GetInt32(1);
        }

        return rows;
    }

    /// <summary>Makes the close reminders' next tick <paramref name="dueAt"/>, as a version bump, like an upsert by Orleans.</summary>
    public static async Task MoveCloseRemindersAsync(NpgsqlConnection connection, IReadOnlyCollection<string> shops, DateTimeOffset dueAt)
    {
        await using var update = new NpgsqlCommand(
            "UPDATE orleansremindertable SET starttime = @due, version = version + 1 WHERE remindername = @name AND grainid = ANY(@grains)", connection);
        update.Parameters.AddWithValue("due", dueAt.UtcDateTime);
        update.Parameters.AddWithValue("name", ShopGrain.CloseReminder);
        update.Parameters.AddWithValue("grains", shops.Select(s => "shop/" + s).ToArray());
        Assert.Equal(shops.Count, await update.ExecuteNonQueryAsync());
    }

    /// <summary>Every invoice: shop, period start, issue time.</summary>
    public static async Task<List<(string Shop, string PeriodStart, DateTimeOffset IssuedAt)>> InvoicesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT shop_id, period_start, issued_at_ms FROM invoices", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var invoices = new List<(string, string, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            invoices.Add((reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return invoices;
    }

    /// <summary>Acknowledged consumes are all in usage_events; returns the durable tokens per customer.</summary>
    public static async Task<Dictionary<string, long>> AssertDurableAsync(string connectionString, FailoverLoad load)
    {
        await using var postgres = new PostgresDatabase(connectionString);
        var stored = await StoredUsage.IdsAsync(postgres);
        var lost = load.Acknowledged.Where(a => !stored.Contains(a.UsageId)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {load.Acknowledged.Count} acknowledged consumes were lost, e.g. {lost.FirstOrDefault()}");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT customer_id, SUM(tokens)::bigint FROM usage_events GROUP BY customer_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sums = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            sums[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sums;
    }

    /// <summary>
    /// Per customer, on a live silo: granted = remaining + consumed; consumed is exactly the durable
    /// events' tokens (the balance is rebuilt from them); and it lies between what was acknowledged
    /// and that plus what was never answered.
    /// </summary>
    public static async Task AssertConservationAsync(Uri silo, IReadOnlyList<LoadCustomer> customers, FailoverLoad load, IReadOnlyDictionary<string, long> durable)
    {
        using var http = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var customer in customers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/subscription");
            request.Headers.Add("X-API-Key", customer.Key);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var granted = body.GetProperty("tokens_granted").GetInt64();
            var remaining = body.GetProperty("tokens_remaining").GetInt64();
            var consumed = body.GetProperty("tokens_consumed").GetInt64();
            var stored = durable.GetValueOrDefault(customer.Id);
            var acked = load.Acknowledged.Where(a => a.Customer == customer.Id).Sum(a => a.Tokens);
            Assert.True(granted == remaining + consumed, $"{customer.Id}: granted {granted} != remaining {remaining} + consumed {consumed}");
            Assert.True(remaining == granted - stored, $"{customer.Id}: remaining {remaining} != granted {granted} - durable {stored}");
            Assert.InRange(consumed, acked, acked + load.Unanswered.GetValueOrDefault(customer.Id));
        }
    }

    public static HttpClient Admin(Uri silo)
    {
        var admin = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloCluster.AdminKey);
        return admin;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
