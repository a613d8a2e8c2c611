using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Price plans, stored as the draft the admin sent (JSON) and rebuilt through the domain's checks
/// on every read, so a stored plan is valid by the same rules as a new one.
/// </summary>
public sealed class PricePlanStore(SqlDatabase database, TimeProvider time)
{
    public const int MaxPageSize = 500;

    internal static readonly JsonSerializerOptions DraftJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task CreateAsync(PricePlan plan, PricePlanDraft draft, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    "INSERT INTO price_plans (id, name, currency, charges_json, created_at_ms) VALUES (@id, @name, @currency, @charges, @now_ms)")
                    .With("id", plan.Id).With("name", plan.Name).With("currency", plan.Currency.Code)
                    .With("charges", JsonSerializer.Serialize(draft with { Name = plan.Name, Currency = plan.Currency.Code }, DraftJson))
                    .With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    public Task<StoredPricePlan?> GetAsync(string id, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(id, CatalogIds.PricePlan)
            ? database.QueryFirstAsync("SELECT id, name, currency, charges_json FROM price_plans WHERE id = @id", c => c.With("id", id), Read, cancellationToken)
            : Task.FromResult<StoredPricePlan?>(null);

    /// <summary>Plans in creation order, after <paramref name="afterId"/> when given (a page's last id).</summary>
    public Task<IReadOnlyList<StoredPricePlan>> ListAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var after = afterId is null ? string.Empty : "WHERE (created_at_ms, id) > (SELECT created_at_ms, id FROM price_plans WHERE id = @after)";
        return database.QueryListAsync(
            $"SELECT id, name, currency, charges_json FROM price_plans {after} ORDER BY created_at_ms, id LIMIT @limit",
            c => afterId is null ? c.With("limit", limit) : c.With("limit", limit).With("after", afterId), Read, cancellationToken);
    }

    /// <summary>The domain plan of a stored one; a stored plan that no longer passes the checks is a bug, not a client error.</summary>
    public static PricePlan ToDomain(StoredPricePlan stored) =>
        PricePlan.TryCreate(stored.Id, Draft(stored), out var plan, out var errors)
            ? plan
            : throw new InvariantViolationException($"Stored price plan {stored.Id} is invalid: {string.Join("; ", errors.Select(e => e.Message))}.");

    public static PricePlanDraft Draft(StoredPricePlan stored) =>
        JsonSerializer.Deserialize<PricePlanDraft>(stored.ChargesJson, DraftJson) ?? throw new InvariantViolationException($"Stored price plan {stored.Id} has no charges.");

    private static StoredPricePlan Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
}
