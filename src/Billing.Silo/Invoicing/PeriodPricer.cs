using Billing.Domain;
using Billing.Silo.Metering;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Prices a shop's open period for closing. Fixed charges (flat fees, seats) come from the plan and
/// seats the period started with, because a mid-period upgrade was already prorated onto pending
/// lines (a bridge to a new cycle's first boundary bills them by its days); usage charges come
/// from the plan in effect now. Usage is read up to the customer's last visible sequence (the
/// watermark): events of earlier periods that committed after the previous close's watermark were
/// not on any invoice yet and become "late usage" lines here. Revenue (revenue-share charges) is
/// every sale no invoice has billed yet: those of this period, and sales of earlier periods
/// reported after those were invoiced, billed here as "late revenue" by the plan in effect now.
/// </summary>
public sealed class PeriodPricer(ShopUsageReader usageReader, RevenueStore revenue, InvoiceBook book, PricePlanStore plans, IOptions<BillingOptions> options)
{
    /// <summary>The default plan's id: a shop without a plan pays per request (seed 000's $0.01).</summary>
    public const string DefaultPlanId = "price_0000000000000default";
    public const string LateUsagePrefix = "Late usage";
    public const string LateRevenuePrefix = "Late revenue";

    private readonly BillingOptions settings = options.Value;

    public async Task<PeriodClose> PrepareAsync(ShopTermsRow shop, Walk walk, Instant now, CancellationToken cancellationToken)
    {
        var period = walk.Open.Period;
        var currency = shop.Customer.Currency;
        var usage = new PeriodUsage(period, currency);
        var watermark = await usageReader.RebuildAsync(shop.Shop.Id, shop.Customer.Id, usage, cancellationToken);
        var late = await LateUsageAsync(shop, walk, watermark, cancellationToken);
        var pending = await book.PendingLinesAsync(shop.Shop.Id, cancellationToken);
        var sales = await revenue.UnbilledAsync(shop.Shop.Id, period, walk.RevenueClaimedBefore, cancellationToken);

        var rounding = settings.RoundingPolicy;
        var usagePlan = shop.Plan is { } stored ? PricePlanStore.ToDomain(stored) : DefaultPlan(currency);
        // Usually the period opened with the plan in effect now, which the terms row already holds.
        var fixedPlan = walk.Open.PricePlanId == shop.Plan?.Id ? usagePlan : await PlanAsync(walk.Open.PricePlanId, currency, cancellationToken);
        var billable = BillableUsage.From(usage, walk.Open.Seats, sales.InPeriod);
        var fixedLines = SelectedCharges.PriceLines(fixedPlan, billable, rounding, c => c.IsRecurringFixed);
        var lines = ShortPeriodLines(fixedLines, period, walk.Open.Cycle, rounding)
            .Concat(SelectedCharges.PriceLines(usagePlan, billable, rounding, c => !c.IsRecurringFixed))
            .Concat(LateLines(usagePlan, late, rounding))
            .Concat(LateRevenueLines(usagePlan, sales.Late, rounding))
            .Concat(pending.Select(p => p.Line))
            .ToList();
        var priced = new PricedInvoice(lines, currency, shop.Customer.VatRate, rounding);
        return new PeriodClose(
            period, NextPeriod(period, shop), OpeningTerms.After(shop), watermark, usage.Totals, [.. pending.Select(p => p.Id)], sales,
            InvoiceYear(now), Document(shop, period, walk.Open.Cycle, now, priced));
    }

    /// <summary>
    /// The period after <paramref name="period"/> in the shop's cycle and the customer's zone, both
    /// as they are at the close. When the cycle changed, the first period of the new cycle may not
    /// start where the old one ended; when the customer moved, the new zone's midnight is not the
    /// old one's. The first period after either bridges them, so periods still tile time.
    /// </summary>
    public static BillingPeriod NextPeriod(BillingPeriod period, ShopTermsRow shop) =>
        BillingPeriod.After(period, BillingCycles.Parse(shop.Cycle), shop.Customer.TimeZoneId);

    /// <summary>
    /// The fixed charges of a bridge (the shorter first period after a cycle change, up to the new
    /// cycle's first boundary) by the day: the part of the full period of its cycle that it covers,
    /// as a plan change prorates. A whole period of its cycle bills them as priced.
    /// </summary>
    private static IEnumerable<InvoiceLine> ShortPeriodLines(IReadOnlyList<InvoiceLine> fixedLines, BillingPeriod period, string cycleText, RoundingPolicy rounding)
    {
        var cycle = BillingCycles.Parse(cycleText);
        if (period.Cycle == cycle)
        {
            return fixedLines;
        }

        // By its first date: a zone bridge may start the evening before it, in another zone's midnight.
        var full = BillingPeriod.Containing(period.Start, cycle, period.ZoneId);
        var days = Period.DaysBetween(period.Start, period.EndExclusive);
        var fullDays = Period.DaysBetween(full.Start, full.EndExclusive);
        return fixedLines.Select(line => PlanChange.DaysLine($"{line.Service}: {days} of {fullDays} days", line.Amount, fullDays, days, rounding));
    }

    public static PricePlan DefaultPlan(Currency currency, decimal pricePerRequest) =>
        new(DefaultPlanId, "Pay per request", currency, [new PerUnitCharge("API requests", UsageMetric.Requests, null, new Money(pricePerRequest, currency))]);

    private PricePlan DefaultPlan(Currency currency) => DefaultPlan(currency, settings.DefaultPricePerRequest);

    private async Task<PricePlan> PlanAsync(string? planId, Currency currency, CancellationToken cancellationToken) =>
        planId is null
            ? DefaultPlan(currency)
            : PricePlanStore.ToDomain(await plans.GetAsync(planId, cancellationToken) ?? throw new InvariantViolationException($"Price plan {planId} of a period is gone."));

    /// <summary>Events before this period that no invoice has seen yet; usage may be back-dated by at most MaxBackdateDays.</summary>
    private async Task<PeriodUsage?> LateUsageAsync(ShopTermsRow shop, Walk walk, long watermark, CancellationToken cancellationToken)
    {
        var period = walk.Open.Period;
        if (watermark <= walk.LastWatermark)
        {
            return null;
        }

        var earliest = (walk.LastClosedAt is { } closed && closed < period.StartInstant ? closed : period.StartInstant)
            - Duration.FromDays(settings.MaxBackdateDays + 1);
        var from = period.LocalDateOf(earliest);
        if (from >= period.Start)
        {
            return null;
        }

        // Up to the instant the period starts, not its first midnight: a zone bridge starts before or after it.
        var late = new PeriodUsage(new BillingPeriod(from, period.Start, period.ZoneId, endInstant: period.StartInstant), shop.Customer.Currency);
        await usageReader.AddLateAsync(shop.Shop.Id, late, walk.LastWatermark, watermark, cancellationToken);
        return late.Totals.Requests > 0 ? late : null;
    }

    private static IEnumerable<InvoiceLine> LateLines(PricePlan plan, PeriodUsage? late, RoundingPolicy rounding)
    {
        if (late is null)
        {
            return [];
        }

        var lines = Prefixed(LateUsagePrefix, SelectedCharges.PriceLines(plan, BillableUsage.From(late, 0, []), rounding, IsUsageCharge)).ToList();
        // A plan with no usage charges still shows the late requests, at no charge: never silently dropped.
        return lines.Count > 0
            ? lines
            : [new InvoiceLine($"{LateUsagePrefix}: requests", late.Totals.Requests, Money.Zero(plan.Currency), Money.Zero(plan.Currency))];
    }

    /// <summary>Sales of invoiced periods reported since, screened by the fraud rules among themselves; nothing when the plan shares no revenue.</summary>
    private static IEnumerable<InvoiceLine> LateRevenueLines(PricePlan plan, IReadOnlyList<RevenueEvent> late, RoundingPolicy rounding) =>
        late.Count == 0
            ? []
            : Prefixed(LateRevenuePrefix, SelectedCharges.PriceLines(plan, new BillableUsage(0, 0, 0, [], 0, late), rounding, c => c.Type == ChargeType.RevenueShare));

    /// <summary>Charges on metered usage: not the fixed ones, nor the revenue share (revenue is not usage).</summary>
    private static bool IsUsageCharge(Charge charge) => !charge.IsRecurringFixed && charge.Type != ChargeType.RevenueShare;

    private static IEnumerable<InvoiceLine> Prefixed(string prefix, IEnumerable<InvoiceLine> lines) =>
        lines.Select(l => new InvoiceLine(Shorten($"{prefix}: {l.Service}"), l.Quantity, l.UnitPrice, l.Amount));

    /// <summary>A line's service cut to what a line holds, marked with an ellipsis.</summary>
    internal static string Shorten(string service) =>
        service.Length <= InvoiceLine.MaxServiceLength ? service : service[..(InvoiceLine.MaxServiceLength - 1)] + "…";

    private int InvoiceYear(Instant now) => now.InZone(DateTimeZoneProviders.Tzdb[settings.IssuerTimeZone]).Year;

    private InvoiceDocument Document(ShopTermsRow shop, BillingPeriod period, string cycle, Instant now, PricedInvoice priced)
    {
        // Not before the period's first date: a shop closed in a westward zone bridge's first hours.
        var issueDate = LocalDate.Max(period.LocalDateOf(now), period.Start);
        // The number is allocated when the invoice is finalised, in the closing transaction.
        var invoice = new Invoice(
            CatalogIds.New(CatalogIds.Invoice), "(draft)", settings.Issuer, InvoiceCustomer.From(shop.Customer), InvoiceShop.From(shop.Shop),
            period, issueDate, new PaymentTerms(settings.NetTermsDays), priced);
        return InvoiceDocuments.FromDomain(invoice, shop.Customer.Id, cycle);
    }
}
