using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Catalog;

/// <summary>An API key as the operator sees it: never the key itself, only its prefix.</summary>
public sealed record ApiKeyListing(string Id, string ShopId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>One page of a catalog list: at most <paramref name="Limit"/> rows after the row <paramref name="After"/>, matching <paramref name="Search"/> when given.</summary>
public sealed record CatalogListQuery(string? Search, string? After, int Limit);

/// <summary>
/// How <c>?q=</c> finds catalog rows: a prefix of a lower-cased name or e-mail, kept in a
/// <c>*_key</c> column beside it and compared byte-wise, so a search is an index range in both dialects.
/// </summary>
public static class CatalogSearch
{
    public const int MaxLength = 100;

    // The greatest code point: every text that starts with the prefix sorts (byte-wise, UTF-8) below prefix + this.
    private const string Greatest = "\U0010FFFF";

    public static string KeyOf(string text) => text.ToLowerInvariant();

    /// <summary>The SQL condition "<paramref name="column"/> starts with @q" and its two parameters.</summary>
    internal static string StartsWith(string column) => $"({column} >= @q AND {column} < @q_end)";

    internal static DbCommand BindSearch(DbCommand command, string search)
    {
        var key = KeyOf(search);
        return command.With("q", key).With("q_end", key + Greatest);
    }
}

/// <summary>The operator's reads of the catalog: lists in creation order, searches, single keys, and customer updates.</summary>
public sealed partial class CatalogStore
{
    private const string CustomerColumns = "id, name, email, currency, time_zone, vat_rate_bp";
    private const string ShopColumns = "id, customer_id, name";
    private const string ApiKeyColumns = "id, shop_id, name, prefix, created_at_ms, revoked_at_ms";

    /// <summary>Customers in creation order whose name or e-mail starts with the search (any case).</summary>
    public Task<IReadOnlyList<CustomerProfile>> ListCustomersAsync(CatalogListQuery query, CancellationToken cancellationToken) =>
        ListAsync(
            "customers", CustomerColumns, query,
            query.Search is null ? [] : [$"({CatalogSearch.StartsWith("name_key")} OR {CatalogSearch.StartsWith("email_key")})"],
            c => c, ReadCustomer, cancellationToken);

    /// <summary>Shops in creation order, of one customer when given, whose name starts with the search (any case).</summary>
    public Task<IReadOnlyList<Shop>> ListShopsAsync(string? customerId, CatalogListQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string>(2);
        if (customerId is not null)
        {
            conditions.Add("customer_id = @customer_id");
        }

        if (query.Search is not null)
        {
            conditions.Add(CatalogSearch.StartsWith("name_key"));
        }

        return ListAsync("shops", ShopColumns, query, conditions, c => customerId is null ? c : c.With("customer_id", customerId), ReadShop, cancellationToken);
    }

    /// <summary>API keys in creation order, of one shop and with one prefix when given.</summary>
    public Task<IReadOnlyList<ApiKeyListing>> ListApiKeysAsync(string? shopId, string? prefix, CatalogListQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string>(2);
        if (shopId is not null)
        {
            conditions.Add("shop_id = @shop_id");
        }

        if (prefix is not null)
        {
            conditions.Add("prefix = @prefix");
        }

        return ListAsync(
            "api_keys", ApiKeyColumns, query with { Search = null }, conditions,
            c =>
            {
                var bound = shopId is null ? c : c.With("shop_id", shopId);
                return prefix is null ? bound : bound.With("prefix", prefix);
            },
            ReadApiKey,
            cancellationToken);
    }

    public Task<ApiKeyListing?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(keyId, CatalogIds.ApiKey)
            ? ReadOneAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = @id", c => c.With("id", keyId), ReadApiKey, cancellationToken)
            : Task.FromResult<ApiKeyListing?>(null);

    /// <summary>Stores the customer's name, e-mail, zone and VAT rate (the currency never changes); false when there is no such customer, or it was erased.</summary>
    public async Task<bool> UpdateCustomerAsync(CustomerProfile customer, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE customers SET name = @name, email = @email, time_zone = @time_zone, vat_rate_bp = @vat_rate_bp, name_key = @name_key, email_key = @email_key
            WHERE id = @id AND erased_at_ms IS NULL
            """,
            command => BindProfile(command, customer),
            cancellationToken) == 1;

    /// <summary>@id, @name, @email, @time_zone, @vat_rate_bp and the search keys @name_key, @email_key of <paramref name="customer"/>.</summary>
    private static DbCommand BindProfile(DbCommand command, CustomerProfile customer) =>
        command.With("id", customer.Id).With("name", customer.Name).With("email", customer.Email).With("time_zone", customer.TimeZoneId)
            .With("vat_rate_bp", decimal.ToInt32(customer.VatRate * BasisPointsPerUnit))
            .With("name_key", CatalogSearch.KeyOf(customer.Name)).With("email_key", CatalogSearch.KeyOf(customer.Email));

    /// <summary>One page of <paramref name="table"/> in (created_at_ms, id) order under the conditions, each bound by <paramref name="bind"/>.</summary>
    private Task<IReadOnlyList<T>> ListAsync<T>(
        string table, string columns, CatalogListQuery query, IReadOnlyList<string> conditions, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPageSize);
        var where = new List<string>(conditions);
        if (query.After is not null)
        {
            where.Add($"(created_at_ms, id) > (SELECT created_at_ms, id FROM {table} WHERE id = @after)");
        }

        var filter = where.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", where);
        var sql = $"SELECT {columns} FROM {table} {filter} ORDER BY created_at_ms, id LIMIT @limit";
        return database.QueryListAsync(
            sql,
            c =>
            {
                var bound = bind(c).With("limit", query.Limit);
                bound = query.After is null ? bound : bound.With("after", query.After);
                return query.Search is null ? bound : CatalogSearch.BindSearch(bound, query.Search);
            },
            map,
            cancellationToken);
    }

    private static CustomerProfile ReadCustomer(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Currency.Parse(r.GetString(3)), r.GetString(4), r.GetInt32(5) / BasisPointsPerUnit);

    private static Shop ReadShop(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    private static ApiKeyListing ReadApiKey(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));
}
