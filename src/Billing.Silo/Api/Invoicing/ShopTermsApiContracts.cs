using Billing.Silo.Grains;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>Body of <c>PUT /api/v1/admin/shops/{id}/billing</c>: what to change; an absent field stays as last asked.</summary>
public sealed record ShopTermsRequest(string? PricePlanId, int? Seats, string? Cycle);

/// <summary>A period's local dates in the customer's zone; <c>end</c> is its last day, as on invoices.</summary>
public sealed record PeriodSpanResponse(DateOnly Start, DateOnly End, string TimeZone);

/// <summary>
/// How the shop's closes went: reminder closes failed in a row (each retried after 1, 2, 4 …
/// minutes, at most an hour), the last failure's reason and instant, and the last close that issued an invoice.
/// </summary>
public sealed record ShopCloseResponse(int FailedAttempts, string? LastFailure, DateTimeOffset? LastFailedAt, DateTimeOffset? RecoveredAt)
{
    public static ShopCloseResponse From(ShopCloseState state) => new(state.FailedAttempts, state.LastFailure, state.LastFailedAt, state.RecoveredAt);
}

/// <summary>
/// A shop's terms: the plan (null: the default, pay per request), cycle and seats in effect, and
/// what takes effect when <c>current_period</c> ends (null: nothing changes); and how its closes went.
/// </summary>
public sealed record ShopBillingResponse(
    string ShopId, string? PricePlanId, string Cycle, int Seats, string? NextPricePlanId, int? NextSeats, string? NextCycle, PeriodSpanResponse? CurrentPeriod,
    ShopCloseResponse Close)
{
    public static ShopBillingResponse From(ShopTermsRow shop, ShopCloseState close)
    {
        // The stored cycle is that of the periods to come; the open period's own is the one in effect.
        var cycle = shop.Open?.Cycle ?? shop.Cycle;
        var period = shop.Open?.Period;
        return new(
            shop.Shop.Id, shop.Plan?.Id, cycle, shop.Seats, shop.NextPricePlanId, shop.NextSeats, shop.Cycle == cycle ? null : shop.Cycle,
            period is null ? null : new PeriodSpanResponse(period.Start.ToDateOnly(), period.LastDay.ToDateOnly(), period.ZoneId),
            ShopCloseResponse.From(close));
    }
}

/// <summary>What a change did (<c>upgrade</c>, <c>downgrade</c> or <c>none</c>), its proration lines, and the terms after it.</summary>
public sealed record ShopTermsChangeResponse(string Kind, DateOnly? EffectiveDate, IReadOnlyList<InvoiceLineView> Lines, ShopBillingResponse Billing)
{
    public static ShopTermsChangeResponse From(TermsChange change, ShopBillingResponse billing) => new(
        change.Kind.ToString().ToLowerInvariant(),
        change.EffectiveDate?.ToDateOnly(),
        [.. change.Lines.Select(l => new InvoiceLineView(l.Service, l.Quantity, l.UnitPrice.Amount, l.Amount.Amount))],
        billing);
}
