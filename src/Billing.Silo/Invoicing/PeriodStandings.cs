using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>A period as of now: the stored row and the domain's standing refreshed to the clock (overdue derived on read).</summary>
public sealed record PeriodStandingView(PeriodStandingRow Row, PeriodStanding Standing);

/// <summary>What a payment or a waiver did: moved the period, or found it so already (the same request repeated).</summary>
public sealed record StandingChange(PeriodStandingView Period, bool Replayed);

/// <summary>
/// Where periods stand with payment. Nothing writes "overdue": every read restores the stored
/// standing and refreshes it to the clock in the period's (the customer's) zone through the domain,
/// so a period past its due date reads as overdue, with its days, without any job. Paying and
/// waiving go through the domain's transitions and store the result only if the row still has
/// the status it was read with; the loser of a race reads again and decides again.
/// </summary>
public sealed partial class PeriodStandings(
    PeriodStandingStore store, IEnumerable<IPeriodSettlementObserver> observers, TimeProvider time, ILogger<PeriodStandings> logger)
{
    /// <summary>Statuses only move forward to final ones, so a second read always settles a race.</summary>
    public const int MaxChangeAttempts = 3;

    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    public async Task<IReadOnlyList<PeriodStandingView>> ShopPeriodsAsync(string shopId, int limit, CancellationToken cancellationToken) =>
        [.. (await store.ShopPeriodsAsync(shopId, limit, cancellationToken)).Select(View)];

    /// <summary>The shop's newest <paramref name="limit"/> invoices, each with its period as of now.</summary>
    public async Task<IReadOnlyList<(InvoiceDocument Document, PeriodStandingView? Period)>> ShopInvoicesAsync(string shopId, int limit, CancellationToken cancellationToken) =>
        [.. (await store.ShopInvoicesAsync(shopId, limit, cancellationToken)).Select(i => (i.Document, i.Period is { } row ? View(row) : null))];

    public async Task<PeriodStandingView?> InvoicedPeriodAsync(string invoiceId, CancellationToken cancellationToken) =>
        await store.InvoicedPeriodAsync(invoiceId, cancellationToken) is { } row ? View(row) : null;

    /// <summary>
    /// Marks the invoice's period paid at <paramref name="paidAt"/> (default: now). Repeating a payment
    /// is answered with the stored one when it names no other instant or reference. Null: no such invoice.
    /// </summary>
    public Task<StandingChange?> PayAsync(string invoiceId, Instant? paidAt, string? reference, CancellationToken cancellationToken)
    {
        var at = paidAt ?? Now;
        return ChangeAsync(
            invoiceId,
            row => row.Status == PeriodStatus.Paid.ToText()
                && (paidAt is null || row.PaidAtMs == at.ToUnixTimeMilliseconds())
                && (reference is null || row.PaymentReference == reference),
            standing => standing.MarkPaid(at),
            reference,
            cancellationToken);
    }

    /// <summary>Waives the invoice's period; repeating the same reason is answered with the stored waiver.</summary>
    public Task<StandingChange?> WaiveAsync(string invoiceId, string reason, CancellationToken cancellationToken)
    {
        var trimmed = reason.Trim();
        return ChangeAsync(
            invoiceId, row => row.Status == PeriodStatus.Waived.ToText() && row.WaivedReason == trimmed, standing => standing.Waive(trimmed), null, cancellationToken);
    }

    private async Task<StandingChange?> ChangeAsync(
        string invoiceId, Func<PeriodStandingRow, bool> alreadyDone, Func<PeriodStanding, PeriodStanding> transition, string? reference, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxChangeAttempts; attempt++)
        {
            if (await store.InvoicedPeriodAsync(invoiceId, cancellationToken) is not { } row)
            {
                return null;
            }

            var current = View(row);
            if (alreadyDone(row))
            {
                return new StandingChange(current, Replayed: true);
            }

            // Throws InvalidPeriodTransitionException for what the domain does not allow.
            var next = transition(current.Standing);
            if (await store.TryUpdateAsync(row, next, reference, cancellationToken) is { } stored)
            {
                LogStandingChanged(logger, invoiceId, row.ShopId, current.Standing.Status.ToText(), stored.Status);
                var changed = new PeriodStandingView(stored, next);
                foreach (var observer in observers)
                {
                    await observer.OnSettledAsync(changed, cancellationToken);
                }

                return new StandingChange(changed, Replayed: false);
            }
        }

        throw new InvariantViolationException($"The period of invoice {invoiceId} kept changing under {MaxChangeAttempts} attempts to update it.");
    }

    private PeriodStandingView View(PeriodStandingRow row) => new(row, row.ToStanding().Refresh(Now));

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoice {InvoiceId} of shop {ShopId}: period went from {From} to {To}")]
    private static partial void LogStandingChanged(ILogger logger, string invoiceId, string shopId, string from, string to);
}
