using Billing.Domain;
using Billing.Silo.Analytics;

namespace Billing.Silo.Api;

public sealed record MrrResponse(string From, string To, IReadOnlyList<MrrMonthResponse> Months)
{
    public static MrrResponse Of(MrrResult result) =>
        new(MonthRange.Text(result.Range.From), MonthRange.Text(result.Range.To), [.. result.Months.Select(month => new MrrMonthResponse(
            MonthRange.Text(month.Month), [.. month.Currencies.Select(figures => MrrCurrencyResponse.From(figures, result.PlanNames))]))]);
}

public sealed record MrrMonthResponse(string Month, IReadOnlyList<MrrCurrencyResponse> Currencies);

public sealed record MrrCurrencyResponse(
    string Currency, decimal StartingMrr, decimal Mrr, decimal Arr, decimal Arpu, int PayingCustomers, MrrMovementsResponse Movements, IReadOnlyList<MrrPlanResponse> Plans)
{
    public static MrrCurrencyResponse From(MrrFigures f, IReadOnlyDictionary<string, string> names) =>
        new(f.Currency.Code, f.StartingMrr.Amount, f.Mrr.Amount, f.Arr.Amount, f.Arpu.Amount, f.PayingCustomers,
            new MrrMovementsResponse(Of(f.New), Of(f.Expansion), Of(f.Contraction), Of(f.Churn), Of(f.Reactivation)),
            [.. f.Plans.Select(p => new MrrPlanResponse(p.PlanId, names.GetValueOrDefault(p.PlanId), p.Customers, p.Mrr.Amount))]);

    private static MrrMovementResponse Of(MrrMovementTotal total) => new(total.Amount.Amount, total.Customers);
}

public sealed record MrrMovementsResponse(
    MrrMovementResponse New, MrrMovementResponse Expansion, MrrMovementResponse Contraction, MrrMovementResponse Churn, MrrMovementResponse Reactivation);

public sealed record MrrMovementResponse(decimal Amount, int Customers);

public sealed record MrrPlanResponse(string PlanId, string? Name, int Customers, decimal Mrr);

public sealed record RevenueResponse(string From, string To, IReadOnlyList<RevenueMonthResponse> Months)
{
    public static RevenueResponse Of(MonthRange range, IReadOnlyList<RevenueRow> rows) =>
        new(MonthRange.Text(range.From), MonthRange.Text(range.To), [.. range.Months.Select(MonthRange.Text).Select(month => new RevenueMonthResponse(
            month, [.. rows.Where(r => r.Month == month).GroupBy(r => r.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => RevenueCurrencyResponse.From(g.Key, [.. g]))]))]);
}

public sealed record RevenueMonthResponse(string Month, IReadOnlyList<RevenueCurrencyResponse> Currencies);

/// <summary>Net revenue: invoiced subtotals − credited subtotals + plans sold (VAT excluded: it is the state's).</summary>
public sealed record RevenueCurrencyResponse(
    string Currency, decimal NetRevenue, DocumentTotalsResponse Invoiced, DocumentTotalsResponse Credited, PlanSalesResponse PlanSales, IReadOnlyList<RevenuePlanResponse> Plans)
{
    public static RevenueCurrencyResponse From(string code, IReadOnlyList<RevenueRow> rows)
    {
        var currency = Billing.Domain.Currency.Parse(code);
        decimal Money(long minor) => Billing.Domain.Money.FromMinorUnits(minor, currency).Amount;
        DocumentTotalsResponse Totals(string kind) => rows.Where(r => r.Kind == kind).Aggregate(
            new DocumentTotalsResponse(0, 0m, 0m, 0m), (sum, r) => new(sum.Count + r.Count, sum.Subtotal + Money(r.NetMinor), sum.Vat + Money(r.VatMinor), sum.Total + Money(r.GrossMinor)));

        var invoiced = Totals(RevenueRow.Invoices);
        var credited = Totals(RevenueRow.CreditNotes);
        var sold = Totals(RevenueRow.PlanSales);
        var plans = rows.Where(r => r.Kind != RevenueRow.CreditNotes)
            .Select(r => new RevenuePlanResponse(
                r.Kind == RevenueRow.PlanSales ? "token_plan" : r.PlanId is null ? "per_request" : "price_plan", r.PlanId, r.PlanName, r.Count, Money(r.NetMinor)))
            .OrderByDescending(p => p.Revenue).ThenBy(p => p.PlanId, StringComparer.Ordinal).ToList();
        return new(code, invoiced.Subtotal - credited.Subtotal + sold.Subtotal, invoiced, credited, new PlanSalesResponse(sold.Count, sold.Subtotal), plans);
    }
}

public sealed record DocumentTotalsResponse(long Count, decimal Subtotal, decimal Vat, decimal Total);

public sealed record PlanSalesResponse(long Count, decimal Amount);

/// <summary><c>kind</c>: price_plan (invoiced periods that opened on it), per_request (the default plan), token_plan (plans sold).</summary>
public sealed record RevenuePlanResponse(string Kind, string? PlanId, string? Name, long Count, decimal Revenue);

public sealed record UsageResponse(
    string CustomerId, string TimeZone, string From, string To, UsageFiguresResponse Totals,
    IReadOnlyList<UsageDayResponse> Days, IReadOnlyList<UsageShopResponse> Shops, IReadOnlyList<UsageEndpointResponse> Endpoints)
{
    public static UsageResponse Of(UsageResult usage) =>
        new(usage.CustomerId, usage.TimeZone, DayRange.Text(usage.Range.From), DayRange.Text(usage.Range.To), UsageFiguresResponse.From(usage.Totals),
            [.. usage.Days.Select(d => new UsageDayResponse(DayRange.Text(d.Day), d.Figures.Requests, d.Figures.Tokens, d.Figures.Errors, d.Figures.ErrorRate))],
            [.. usage.Shops.Select(s => new UsageShopResponse(s.ShopId, s.Figures.Requests, s.Figures.Tokens, s.Figures.Errors, s.Figures.ErrorRate))],
            [.. usage.Endpoints.Select(e => new UsageEndpointResponse(e.Endpoint, e.Figures.Requests, e.Figures.Tokens, e.Figures.Errors, e.Figures.ErrorRate))]);
}

public sealed record UsageFiguresResponse(long Requests, long Tokens, long Errors, decimal ErrorRate)
{
    public static UsageFiguresResponse From(UsageFigures f) => new(f.Requests, f.Tokens, f.Errors, f.ErrorRate);
}

public sealed record UsageDayResponse(string Date, long Requests, long Tokens, long Errors, decimal ErrorRate);

public sealed record UsageShopResponse(string ShopId, long Requests, long Tokens, long Errors, decimal ErrorRate);

public sealed record UsageEndpointResponse(string? Endpoint, long Requests, long Tokens, long Errors, decimal ErrorRate);
