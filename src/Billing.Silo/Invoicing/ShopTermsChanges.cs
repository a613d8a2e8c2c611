using Billing.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Changes a shop's plan, seats and cycle; called by the shop grain, so it never interleaves with
/// a close. The domain's <see cref="PlanChange"/> decides, in the customer's zone, against the
/// terms in effect now: an upgrade switches the terms at once and its proration lines (credit for
/// the old fixed charges' unused days, charge for the new ones' remaining days) wait for the open
/// period's invoice, which bills its fixed charges from the plan it opened with, so the lines carry
/// the difference; a downgrade is stored as the next plan and seats, which the close applies before
/// opening the next period. A cycle change, too, takes effect at the period end: the next period
/// follows the new cycle, starting with a shorter bridge where the two cycles' boundaries differ.
/// </summary>
public sealed class ShopTermsChanges(ShopPeriods periods, PricePlanStore plans, ShopTermsWriter writer, IOptions<BillingOptions> options)
{
    private readonly BillingOptions settings = options.Value;

    public async Task<TermsChangeResult> ApplyAsync(string shopId, TermsChangeRequest request, Instant now, CancellationToken cancellationToken)
    {
        var shop = await periods.TermsAsync(shopId, cancellationToken);
        var open = (await periods.EnsureOpenPeriodAsync(shop, cancellationToken)).Period;
        if (!open.Contains(now))
        {
            // Prorating against the next period before it is open would bill its fixed charges twice.
            return TermsChangeResult.Refused(
                TermsChangeOutcome.PeriodClosing, $"The period {open} has ended and is closed at {periods.DueAt(open)}; change the terms after that.");
        }

        var (target, refusal) = await TargetPlanAsync(shop, request.PricePlanId, cancellationToken);
        if (target is null)
        {
            return refusal!;
        }

        var cycle = request.Cycle?.ToText() ?? shop.Cycle;
        var (kind, effectiveDate, lines, terms) = Decide(shop, open, target, request.Seats ?? shop.NextSeats ?? shop.Seats, now);
        await writer.WriteAsync(shopId, open, terms with { Cycle = cycle }, lines, now, cancellationToken);
        return TermsChangeResult.Changed(new TermsChange(kind, effectiveDate, lines, open, cycle));
    }

    /// <summary>The plan asked for, or else the one already scheduled or in effect; checked against the customer's currency.</summary>
    private async Task<(PricePlan? Plan, TermsChangeResult? Refusal)> TargetPlanAsync(ShopTermsRow shop, string? requestedId, CancellationToken cancellationToken)
    {
        var id = requestedId ?? shop.NextPricePlanId ?? shop.Plan?.Id;
        if (id is null || id == shop.Plan?.Id)
        {
            return (CurrentPlan(shop), null);
        }

        if (await plans.GetAsync(id, cancellationToken) is not { } stored)
        {
            return (null, TermsChangeResult.Refused(TermsChangeOutcome.PricePlanNotFound, $"There is no price plan with id '{id}'."));
        }

        var plan = PricePlanStore.ToDomain(stored);
        return plan.Currency == shop.Customer.Currency
            ? (plan, null)
            : (null, TermsChangeResult.Refused(
                TermsChangeOutcome.CurrencyMismatch, $"Price plan {id} is priced in {plan.Currency}, but the customer is billed in {shop.Customer.Currency}."));
    }

    private (TermsChangeKind Kind, LocalDate? EffectiveDate, IReadOnlyList<InvoiceLine> Lines, ShopTermsUpdate Terms) Decide(
        ShopTermsRow shop, BillingPeriod open, PricePlan target, int seats, Instant now)
    {
        var current = CurrentPlan(shop);
        var currentId = StoredId(current);
        if (target.Id == current.Id && seats == shop.Seats)
        {
            return (TermsChangeKind.None, null, [], new ShopTermsUpdate(currentId, seats, null, null, shop.Cycle));
        }

        var proration = new PlanChange(open, current, shop.Seats, target, seats, now).Prorate(settings.RoundingPolicy);
        if (proration.Kind == PlanChangeKind.Upgrade)
        {
            // A credit for a free plan's days says nothing: only lines that move money go on the invoice.
            var lines = proration.Lines.Where(line => line.Amount.Amount != 0m).ToList();
            return (TermsChangeKind.Upgrade, proration.EffectiveDate, lines, new ShopTermsUpdate(StoredId(target), seats, null, null, shop.Cycle));
        }

        var next = new ShopTermsUpdate(currentId, shop.Seats, target.Id == current.Id ? null : StoredId(target), seats == shop.Seats ? null : seats, shop.Cycle);
        return (TermsChangeKind.Downgrade, proration.EffectiveDate, [], next);
    }

    private PricePlan CurrentPlan(ShopTermsRow shop) =>
        shop.Plan is { } stored ? PricePlanStore.ToDomain(stored) : PeriodPricer.DefaultPlan(shop.Customer.Currency, settings.DefaultPricePerRequest);

    /// <summary>The default plan is no row of price_plans: a shop on it stores none.</summary>
    private static string? StoredId(PricePlan plan) => plan.Id == PeriodPricer.DefaultPlanId ? null : plan.Id;
}
