using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Catalog;

/// <summary>
/// Plans, customers, shops, API keys and silo settings in the <c>catalog</c> tables, on either
/// dialect. Reads return domain objects (or null when absent or the id is malformed, without a
/// query); writes go through <see cref="SqlDatabase.WriteAsync{T}"/>.
/// </summary>
public sealed partial class CatalogStore(SqlDatabase database, TimeProvider time, ILogger<CatalogStore> logger)
{
    /// <summary>The most plans one page may hold.</summary>
    public const int MaxPageSize = 500;

    // VAT rates are stored as integer basis points of one (0.21 → 2100): exact in both dialects.
    internal const decimal BasisPointsPerUnit = 10_000m;

    private const string PlanColumns = "id, name, price_minor_units, currency, tokens_included, duration_days, is_recurring, description";

    public Task CreatePlanAsync(Plan plan, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO plans ({PlanColumns}, created_at_ms) VALUES (@id, @name, @price, @currency, @tokens, @days, @recurring, @description, @now_ms)",
            command => command.With("id", plan.Id).With("name", plan.Name).With("price", plan.Price.ToMinorUnits())
                .With("currency", plan.Price.Currency.Code).With("tokens", plan.TokensIncluded.Value).With("days", plan.DurationDays)
                .With("recurring", plan.IsRecurring).With("description", plan.Description),
            cancellationToken);

    public Task<Plan?> GetPlanAsync(string planId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(planId, CatalogIds.Plan)
            ? ReadOneAsync($"SELECT {PlanColumns} FROM plans WHERE id = @id", c => c.With("id", planId), ReadPlan, cancellationToken)
            : Task.FromResult<Plan?>(null);

    /// <summary>Plans in creation order, at most <paramref name="limit"/>, after the plan <paramref name="afterPlanId"/> when given.</summary>
    public Task<IReadOnlyList<Plan>> ListPlansAsync(string? afterPlanId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var after = afterPlanId is null ? string.Empty : "WHERE (created_at_ms, id) > (SELECT created_at_ms, id FROM plans WHERE id = @after)";
        var sql = $"SELECT {PlanColumns} FROM plans {after} ORDER BY created_at_ms, id LIMIT @limit";
        return database.QueryListAsync(sql, c => afterPlanId is null ? c.With("limit", limit) : c.With("limit", limit).With("after", afterPlanId), ReadPlan, cancellationToken);
    }

    /// <summary>Creates the customer; on test clock <paramref name="testClockId"/> when given, created at the clock's <paramref name="createdAtMs"/>.</summary>
    public Task CreateCustomerAsync(CustomerProfile customer, CancellationToken cancellationToken, string? testClockId = null, long? createdAtMs = null) =>
        ExecuteAsync(
            """
            INSERT INTO customers (id, name, email, currency, time_zone, vat_rate_bp, created_at_ms, name_key, email_key, test_clock_id)
            VALUES (@id, @name, @email, @currency, @time_zone, @vat_rate_bp, @created_at_ms, @name_key, @email_key, @test_clock_id)
            """,
            command => BindProfile(command, customer).With("currency", customer.Currency.Code).With("test_clock_id", testClockId).With("created_at_ms", createdAtMs ?? NowMs()),
            cancellationToken);

    public Task<CustomerProfile?> GetCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(customerId, CatalogIds.Customer)
            ? ReadOneAsync($"SELECT {CustomerColumns} FROM customers WHERE id = @id", c => c.With("id", customerId), ReadCustomer, cancellationToken)
            : Task.FromResult<CustomerProfile?>(null);

    /// <summary>
    /// Creates the shop as of now, or as of <paramref name="openedAtMs"/> when it opened before (history). False when the
    /// shop's customer does not exist (checked in the same statement, so no race with a delete).
    /// </summary>
    public async Task<bool> CreateShopAsync(Shop shop, CancellationToken cancellationToken, long? openedAtMs = null) =>
        await ExecuteAsync(
            """
            INSERT INTO shops (id, customer_id, name, created_at_ms, name_key)
            SELECT @id, @customer_id, @name, @created_at_ms, @name_key WHERE EXISTS (SELECT 1 FROM customers WHERE id = @customer_id)
            """,
            command => command.With("id", shop.Id).With("created_at_ms", openedAtMs ?? NowMs()).With("customer_id", shop.CustomerId).With("name", shop.Name).With("name_key", CatalogSearch.KeyOf(shop.Name)),
            cancellationToken) == 1;

    public Task<Shop?> GetShopAsync(string shopId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(shopId, CatalogIds.Shop)
            ? ReadOneAsync($"SELECT {ShopColumns} FROM shops WHERE id = @id", c => c.With("id", shopId), ReadShop, cancellationToken)
            : Task.FromResult<Shop?>(null);

    private static Plan ReadPlan(DbDataReader reader)
    {
        var currency = Currency.Parse(reader.GetString(3));
        return new Plan(
            reader.GetString(0), reader.GetString(1), Money.FromMinorUnits(reader.GetInt64(2), currency), new TokenAmount(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetString(7));
    }

    private Task<T?> ReadOneAsync<T>(string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class => database.QueryFirstAsync(sql, bind, map, cancellationToken);

    /// <summary>Runs one write statement with <c>@now_ms</c> bound to the current time; returns the rows affected.</summary>
    private Task<int> ExecuteAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql)).With("now_ms", NowMs());
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
