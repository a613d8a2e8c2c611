using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Metering;

/// <summary>The usage batch and the current-period usage, through HTTP, on both dialects.</summary>
public sealed class UsageApiTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BatchAnswersEachEventAsASingleConsumeWould(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100);
        using var client = MeteringApiTests.Client(silo, key);

        var events = new object[]
        {
            new { tokens = 10, endpoint = "/v1/chat" },
            new { tokens = 0 },
            new { tokens = 5, idempotency_key = "b-1" },
            new { tokens = 500 },
            new { tokens = 5, idempotency_key = "b-1" },
        };
        using var response = await client.PostAsJsonAsync("/api/v1/usage/batch", new { events });
        var body = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);

        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 400, 200, 402, 200], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal(["invalid_request", "insufficient_tokens"], results.Where(r => r.GetProperty("code").ValueKind == JsonValueKind.String).Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(results[2].GetProperty("usage_id").GetGuid(), results[4].GetProperty("usage_id").GetGuid());
        Assert.Equal((3, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("rejected").GetInt32()));
        Assert.Equal(85, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BatchWithoutIdempotencyKeysIsDecidedInOrderAndWrittenAsOneDurableEntry(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100);
        using var client = MeteringApiTests.Client(silo, key);

        var events = new[] { 10, 500, 20, 75, 70 }.Select(t => new { tokens = t, endpoint = "/v1/chat" }).ToArray();
        using var response = await client.PostAsJsonAsync("/api/v1/usage/batch", new { events });
        var body = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);

        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 402, 200, 402, 200], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal([90L, 90L, 70L, 70L, 0L], results.Select(r => r.GetProperty("tokens_remaining").GetInt64()));
        Assert.Equal(0, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64());
        var usage = await silo.GetAsync(client, "/api/v1/usage");
        Assert.Equal((3L, 100L), (usage.GetProperty("totals").GetProperty("requests").GetInt64(), usage.GetProperty("totals").GetProperty("tokens").GetInt64()));
        Assert.Equal([90L, 70L, 0L], await StoredRemainingAsync(silo));
    }

    private static Task<List<long>> StoredRemainingAsync(CatalogSilo silo) =>
        silo.Services.GetRequiredService<SqlDatabase>().ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT remaining_after FROM usage_events ORDER BY seq");
                await using var reader = await command.ExecuteReaderAsync(ct);
                var remaining = new List<long>();
                while (await reader.ReadAsync(ct))
                {
                    remaining.Add(reader.GetInt64(0));
                }

                return remaining;
            },
            CancellationToken.None);

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BatchOfNoneOrTooManyEventsIs400(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100_000);
        using var client = MeteringApiTests.Client(silo, key);

        using var none = await client.PostAsJsonAsync("/api/v1/usage/batch", new { events = Array.Empty<object>() });
        using var many = await client.PostAsJsonAsync("/api/v1/usage/batch", new { events = Enumerable.Range(0, 1_001).Select(_ => new { tokens = 1 }) });

        Assert.Equal("invalid_batch", (await CatalogSilo.ReadAsync(none, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.Equal("invalid_batch", (await CatalogSilo.ReadAsync(many, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageShowsTheCurrentPeriodTotalsPerDayAndEndpointAndRollsOverAtLocalMonthEnd(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 10, endpoint = "/v1/chat", status_code = 200 });
        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 20, endpoint = "/v1/chat", status_code = 500 });
        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 30, endpoint = "/v1/embed" });

        var usage = await UsageWhenAsync(silo, client, u => u.GetProperty("totals").GetProperty("requests").GetInt64() == 3);
        Assert.Equal(("2026-11-01", "2026-11-30", "UTC", "EUR"), (Text(usage, "period_start"), Text(usage, "period_end"), Text(usage, "time_zone"), Text(usage, "currency")));
        var totals = usage.GetProperty("totals");
        Assert.Equal((3L, 60L, 0.9m, 1L), (totals.GetProperty("requests").GetInt64(), totals.GetProperty("tokens").GetInt64(), totals.GetProperty("cost").GetDecimal(), totals.GetProperty("errors").GetInt64()));
        var day = Assert.Single(usage.GetProperty("days").EnumerateArray());
        Assert.Equal(("2026-11-21", 3L), (Text(day, "date"), day.GetProperty("requests").GetInt64()));
        var endpoints = usage.GetProperty("endpoints").EnumerateArray().ToDictionary(e => Text(e, "endpoint"), e => e.GetProperty("tokens").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["/v1/chat"] = 30, ["/v1/embed"] = 30 }, endpoints);

        silo.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));
        await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 7 });
        var december = await UsageWhenAsync(silo, client, u => Text(u, "period_start") == "2026-12-01" && u.GetProperty("totals").GetProperty("requests").GetInt64() == 1);
        Assert.Equal(7, december.GetProperty("totals").GetProperty("tokens").GetInt64());
    }

    private static async Task<JsonElement> UsageWhenAsync(CatalogSilo silo, HttpClient client, Func<JsonElement, bool> ready)
    {
        JsonElement usage = default;
        await Eventually.TrueAsync(async () => ready(usage = await silo.GetAsync(client, "/api/v1/usage")), "the shop grain to count the durable events");
        return usage;
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
