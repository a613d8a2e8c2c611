using Billing.Silo.Telemetry;
using Billing.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// A shop's periods, driven by its grain (which runs one call at a time per shop): opening the
/// first one, and closing those that are over, each priced and invoiced in one transaction. A
/// dry run walks the same periods in memory and writes nothing.
/// </summary>
public sealed class ShopPeriods(ShopTermsReader terms, InvoiceBook book, PeriodPricer pricer, BillingMetrics metrics, IOptions<BillingOptions> options)
{
    /// <summary>Periods one call closes at most (ten years of weekly periods); a later call goes on.</summary>
    public const int MaxPeriodsPerCall = 520;

    private readonly BillingOptions settings = options.Value;

    public TimeSpan GracePeriod => settings.GracePeriod;

    public bool ClosesOnReminders => settings.CloseOnReminders;

    public async Task<ShopTermsRow> TermsAsync(string shopId, CancellationToken cancellationToken) =>
        await terms.GetAsync(shopId, cancellationToken) ?? throw new UnknownShopException(shopId);

    /// <summary>The open period, as the terms row read it, or opened first if the shop has none yet (the one holding its creation).</summary>
    public async Task<OpenPeriodRow> EnsureOpenPeriodAsync(ShopTermsRow shop, CancellationToken cancellationToken)
    {
        if (shop.Open is { } open)
        {
            return open;
        }

        if (shop.ClosedAt is not null)
        {
            throw new ShopClosedException(shop.Shop.Id);
        }

        return await OpenFirstPeriodAsync(shop, cancellationToken);
    }

    /// <summary>The shop's first period: the one holding its creation (or the day it opened, for a shop with a past).</summary>
    public static BillingPeriod FirstPeriod(ShopTermsRow shop) =>
        BillingPeriod.Containing(shop.ShopCreatedAt, BillingCycles.Parse(shop.Cycle), shop.Customer.TimeZoneId);

    private Task<OpenPeriodRow> OpenFirstPeriodAsync(ShopTermsRow shop, CancellationToken cancellationToken) =>
        book.OpenFirstPeriodAsync(shop.Shop.Id, FirstPeriod(shop), OpeningTerms.Current(shop), cancellationToken);

    /// <summary>
    /// Closes what is due; also returns the open period after it (as it would be, for a dry run),
    /// null once a closed shop's last period is closed. A closed shop's open period is due at once
    /// and ends the day the shop closed (its keys are revoked, so no grace for late events).
    /// </summary>
    public async Task<(ShopBillingResult Result, BillingPeriod? OpenPeriod)> CloseDueAsync(string shopId, CloseRequest request, Instant now, CancellationToken cancellationToken)
    {
        var shop = await TermsAsync(shopId, cancellationToken);
        var lastClose = await book.LastCloseAsync(shopId, cancellationToken);
        if (shop.ClosedAt is not null && shop.Open is null && lastClose is not null)
        {
            return (new ShopBillingResult(shopId, ShopBillingOutcome.NotDue, []), null);
        }

        // A shop closed before its billing started (opened and closed in the past, history loaded) has its first period opened here.
        var open = shop.Open ?? await OpenFirstPeriodAsync(shop, cancellationToken);
        var walk = new Walk(open, lastClose?.WatermarkSequence ?? 0, lastClose?.ClosedAt);
        var invoices = new List<InvoiceSummary>();
        var ended = false;
        while (!ended && invoices.Count < MaxPeriodsPerCall && (IsDue(walk.Open.Period, request.ThroughMonth, now) || LastPeriod(shop, walk.Open) is not null))
        {
            using var span = BillingTelemetry.Source.StartActivity("period.close");
            span?.SetTag("billing.shop_id", shopId);
            var last = LastPeriod(shop, walk.Open);
            ended = last is not null;
            var closing = last is null ? walk : walk with { Open = walk.Open with { Period = last } };
            var close = await pricer.PrepareAsync(shop, closing, now, cancellationToken) with { IsFinal = ended, OnTestClock = shop.TestClockId is not null };
            metrics.PeriodClosed(request.DryRun);
            if (request.DryRun)
            {
                invoices.Add(close.Document.ToSummary() with { InvoiceId = null, Number = null });
                walk = walk.After(close, now);
                continue;
            }

            invoices.Add((await book.IssueAsync(shopId, close, now.ToUnixTimeMilliseconds(), cancellationToken)).ToSummary());
            // Reload: the close may have applied a scheduled downgrade.
            shop = await TermsAsync(shopId, cancellationToken);
            walk = walk.After(close, now);
        }

        var openAfter = ended ? null : walk.Open.Period;
        if (invoices.Count > 0)
        {
            return (new ShopBillingResult(shopId, request.DryRun ? ShopBillingOutcome.WouldInvoice : ShopBillingOutcome.Invoiced, invoices), openAfter);
        }

        var existing = request.ThroughMonth is { } month ? await InvoicesOfMonthAsync(shopId, month, cancellationToken) : [];
        return (new ShopBillingResult(shopId, existing.Count > 0 ? ShopBillingOutcome.AlreadyInvoiced : ShopBillingOutcome.NotDue, existing), openAfter);
    }

    /// <summary>For a closed shop whose open period runs past the close: that period cut at the end of the closing day (in its zone).</summary>
    private static BillingPeriod? LastPeriod(ShopTermsRow shop, OpenPeriodRow open)
    {
        if (shop.ClosedAt is not { } closedAt || open.Period.EndInstant <= closedAt)
        {
            return null;
        }

        var end = open.Period.LocalDateOf(closedAt).PlusDays(1);
        return end <= open.Period.Start ? open.Period.EndingAt(open.Period.Start.PlusDays(1))
            : end >= open.Period.EndExclusive ? open.Period
            : open.Period.EndingAt(end);
    }

    /// <summary>Whether the shop's first period is due at <paramref name="now"/>: a shop opened in the past.</summary>
    public async Task<bool> FirstPeriodDueAsync(string shopId, Instant now, CancellationToken cancellationToken) =>
        DueAt(FirstPeriod(await TermsAsync(shopId, cancellationToken))) <= now;

    /// <summary>When the open period may close: its end plus the grace for late events.</summary>
    public Instant DueAt(BillingPeriod period) => period.EndInstant + Duration.FromTimeSpan(settings.GracePeriod);

    private bool IsDue(BillingPeriod period, YearMonth? throughMonth, Instant now) =>
        DueAt(period) <= now && (throughMonth is not { } month || period.EndExclusive <= month.OnDayOfMonth(1).PlusMonths(1));

    private async Task<IReadOnlyList<InvoiceSummary>> InvoicesOfMonthAsync(string shopId, YearMonth month, CancellationToken cancellationToken)
    {
        var first = month.OnDayOfMonth(1);
        var documents = await book.ShopInvoicesAsync(shopId, first.PlusMonths(-3).ToDateOnly(), first.PlusMonths(1).ToDateOnly(), cancellationToken);
        // Periods that end within the month: a quarter or a week may have started before it.
        return [.. documents.Where(d => d.PeriodEndExclusive > first.ToDateOnly() && d.PeriodEndExclusive <= first.PlusMonths(1).ToDateOnly()).Select(d => d.ToSummary())];
    }
}

/// <summary>Where a walk over a shop's periods stands: the open one, and what the last close saw.</summary>
public sealed record Walk(OpenPeriodRow Open, long LastWatermark, Instant? LastClosedAt)
{
    /// <summary>
    /// Revenue occurring before this was claimed by an earlier close of the same walk (for a dry run:
    /// would have been); what arrived for it since then waits for the next walk, as late revenue.
    /// </summary>
    public Instant? RevenueClaimedBefore { get; init; }

    public Walk After(PeriodClose close, Instant now) =>
        new(new OpenPeriodRow(close.Next, close.NextTerms.Cycle, close.NextTerms.PricePlanId, close.NextTerms.Seats), close.WatermarkSequence, now)
        {
            RevenueClaimedBefore = close.Period.EndInstant,
        };
}

/// <summary>A billing call named a shop that does not exist: not worth a retry.</summary>
[GenerateSerializer]
public sealed class UnknownShopException(string shopId) : Exception($"There is no shop with id '{shopId}'.");
