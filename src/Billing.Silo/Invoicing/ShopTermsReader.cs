using System.Data.Common;
using System.Globalization;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// A shop's terms as stored: its price plan (null: the default), seats and any downgrade scheduled
/// for the period end; <paramref name="Cycle"/> is the cycle of the periods to come, which differs
/// from <paramref name="Open"/>'s while a cycle change waits for the period end.
/// <paramref name="TestClockId"/>: the customer lives on that test clock, frozen at <paramref name="ClockFrozenAtMs"/>.
/// </summary>
public sealed record ShopTermsRow(
    Shop Shop,
    CustomerProfile Customer,
    Instant ShopCreatedAt,
    string Cycle,
    int Seats,
    StoredPricePlan? Plan,
    string? NextPricePlanId,
    int? NextSeats,
    OpenPeriodRow? Open,
    Instant? ClosedAt = null,
    string? TestClockId = null,
    long? ClockFrozenAtMs = null);

/// <summary>
/// The shop's open period, the cycle it was opened in (a bridge to a new cycle's first boundary has
/// none of its own), and the plan (null: the default) and seats its fixed charges bill from.
/// </summary>
public sealed record OpenPeriodRow(BillingPeriod Period, string Cycle, string? PricePlanId, int Seats)
{
    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    public const string Columns = "period_start, period_end, zone, cycle, price_plan_id, seats, start_ms";

    /// <summary>The row of <see cref="Columns"/> from ordinal <paramref name="first"/> on.</summary>
    public static OpenPeriodRow Read(DbDataReader r, int first) =>
        new(
            ReadPeriod(r, first, first + 6),
            r.GetString(first + 3), r.IsDBNull(first + 4) ? null : r.GetString(first + 4), r.GetInt32(first + 5));

    /// <summary>
    /// A stored period from its start date, end date and zone at <paramref name="first"/> on, and its
    /// start instant at <paramref name="startMs"/>: a zone bridge starts at the old zone's midnight.
    /// </summary>
    public static BillingPeriod ReadPeriod(DbDataReader r, int first, int startMs) =>
        new(Date(r, first), Date(r, first + 1), r.GetString(first + 2), startInstant: Instant.FromUnixTimeMilliseconds(r.GetInt64(startMs)));

    private static LocalDate Date(DbDataReader r, int ordinal) => LocalDate.FromDateOnly(DateOnly.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture));
}

/// <summary>A price plan as stored: the admin API's draft JSON, turned into a domain plan on use.</summary>
public sealed record StoredPricePlan(string Id, string Name, string Currency, string ChargesJson);

/// <summary>Reads what closing a shop's period needs in one query: shop, customer, terms, plan and open period (with the terms it opened with).</summary>
public sealed class ShopTermsReader(SqlDatabase database)
{
    public const string DefaultCycle = "monthly";
    public const int DefaultSeats = 1;

    public Task<ShopTermsRow?> GetAsync(string shopId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(shopId, CatalogIds.Shop)
            ? database.QueryFirstAsync(
                """
                SELECT s.id, s.customer_id, s.name, s.created_at_ms,
                       c.name, c.email, c.currency, c.time_zone, c.vat_rate_bp,
                       b.cycle, b.seats, b.next_price_plan_id, b.next_seats,
                       p.id, p.name, p.currency, p.charges_json,
                       o.period_start, o.period_end, o.zone, o.cycle, o.price_plan_id, o.seats, o.start_ms, s.closed_at_ms,
                       c.test_clock_id, t.frozen_at_ms
                FROM shops s
                JOIN customers c ON c.id = s.customer_id
                LEFT JOIN test_clocks t ON t.id = c.test_clock_id
                LEFT JOIN shop_billing b ON b.shop_id = s.id
                LEFT JOIN price_plans p ON p.id = b.price_plan_id
                LEFT JOIN billing_periods o ON o.shop_id = s.id AND o.is_current = TRUE
                WHERE s.id = @shop
                """,
                c => c.With("shop", shopId),
                Read,
                cancellationToken)
            : Task.FromResult<ShopTermsRow?>(null);

    private static ShopTermsRow Read(DbDataReader r)
    {
        var shop = new Shop(r.GetString(0), r.GetString(1), r.GetString(2));
        var customer = new CustomerProfile(
            r.GetString(1), r.GetString(4), r.GetString(5), Currency.Parse(r.GetString(6)), r.GetString(7), r.GetInt32(8) / Catalog.CatalogStore.BasisPointsPerUnit);
        var plan = r.IsDBNull(13) ? null : new StoredPricePlan(r.GetString(13), r.GetString(14), r.GetString(15), r.GetString(16));
        var open = r.IsDBNull(17) ? null : OpenPeriodRow.Read(r, 17);
        return new ShopTermsRow(
            shop, customer, Instant.FromUnixTimeMilliseconds(r.GetInt64(3)),
            r.IsDBNull(9) ? DefaultCycle : r.GetString(9), r.IsDBNull(10) ? DefaultSeats : r.GetInt32(10),
            plan, r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetInt32(12), open,
            r.IsDBNull(24) ? null : Instant.FromUnixTimeMilliseconds(r.GetInt64(24)),
            r.IsDBNull(25) ? null : r.GetString(25), r.IsDBNull(26) ? null : r.GetInt64(26));
    }
}
