using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Catalog;

/// <summary>The operator's shop search and paging stay index ranges with 100,000 shops.</summary>
public sealed class AdminShopSearchScaleTests
{
    private const int Shops = 100_000;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SearchAndPagingOver100000ShopsAnswerFromTheIndexes(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var customerId = await AdminCatalogQueryApiTests.CustomerAsync(silo, "Acme", "billing@acme.com");
        await BillingScenario.ExecuteAsync(silo, InsertShopsSql(dialect, customerId));

        var found = await silo.GetAsync(silo.Admin, "/api/v1/admin/shops?q=SHOP%20099&limit=500");
        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops?limit=3&after={ShopId(50_000)}");

        var names = found.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal((500, "Shop 099000", "Shop 099499"), (names.Count, names[0], names[^1]));
        Assert.Equal(ShopId(99_499), found.GetProperty("next_after").GetString());
        Assert.Equal([ShopId(50_001), ShopId(50_002), ShopId(50_003)], page.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Contains("ix_shops_name_key", await PlanAsync(silo, dialect, "SELECT id FROM shops WHERE name_key >= 'shop 099' AND name_key < 'shop 09:' ORDER BY created_at_ms, id LIMIT 500"), StringComparison.Ordinal);
        Assert.Contains(
            "ix_shops_created",
            await PlanAsync(silo, dialect, $"SELECT id FROM shops WHERE (created_at_ms, id) > (SELECT created_at_ms, id FROM shops WHERE id = '{ShopId(50_000)}') ORDER BY created_at_ms, id LIMIT 3"),
            StringComparison.Ordinal);
    }

    private static string ShopId(int n) => $"shop_{n:D20}";

    /// <summary>Shops 1..100,000 of one customer, created a millisecond apart, named "Shop 000001"…; one statement.</summary>
    private static string InsertShopsSql(string dialect, string customerId) => dialect == "postgres"
        ? $"""
           INSERT INTO shops (id, customer_id, name, created_at_ms, name_key)
           SELECT 'shop_' || lpad(i::text, 20, '0'), '{customerId}', 'Shop ' || lpad(i::text, 6, '0'), 1800000000000 + i, 'shop ' || lpad(i::text, 6, '0')
           FROM generate_series(1, {Shops}) AS i;
           ANALYZE shops
           """
        : $"""
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Shops})
           INSERT INTO shops (id, customer_id, name, created_at_ms, name_key)
           SELECT printf('shop_%020d', i), '{customerId}', printf('Shop %06d', i), 1800000000000 + i, printf('shop %06d', i) FROM n;
           ANALYZE
           """;

    private static async Task<string> PlanAsync(CatalogSilo silo, string dialect, string sql) =>
        string.Join(
            "\n",
            await silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync(
                dialect == "postgres" ? $"EXPLAIN {sql}" : $"EXPLAIN QUERY PLAN {sql}", c => c, r => r.GetString(r.FieldCount - 1), CancellationToken.None));
}
