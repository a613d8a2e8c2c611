using Billing.Domain;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Payments.Transfers;

public enum TransferOutcome
{
    /// <summary>Recorded; the invoice still has something open.</summary>
    Partial,

    /// <summary>Recorded, and the invoice's transfers now cover its total: its period is paid.</summary>
    Paid,

    /// <summary>The same transfer (bank reference, invoice, amount, value date) was recorded before.</summary>
    Replayed,

    /// <summary>The bank reference was recorded before for another invoice, amount or date.</summary>
    ReferenceConflict,
    InvoiceNotFound,

    /// <summary>The period is paid (by any means) or waived: nothing is open.</summary>
    AlreadyPaid,
    CurrencyMismatch,
    ExceedsOpen,
}

/// <summary>A transfer to record: a bank reference up to 100 characters, a positive amount with at most the currency's decimals.</summary>
public sealed record TransferDraft(string BankReference, decimal Amount, string Currency, LocalDate ValueDate, string? PayerName, string? PayerIban, string Source);

/// <summary>What an invoice owes and has received by transfer, and where its period stands.</summary>
public sealed record InvoiceBalance(string InvoiceId, string InvoiceNumber, Currency Currency, long TotalMinor, long ReceivedMinor, PeriodStatus Status, Instant? PaidAt)
{
    /// <summary>Nothing is open on a paid or waived period, however it was settled.</summary>
    public long OpenMinor => Status is PeriodStatus.Paid or PeriodStatus.Waived ? 0 : Math.Max(0, TotalMinor - ReceivedMinor);

    public decimal Amount(long minor) => Money.FromMinorUnits(minor, Currency).Amount;
}

public sealed record TransferResult(TransferOutcome Outcome, StoredTransfer? Transfer, InvoiceBalance? Balance, string? Detail);

/// <summary>
/// Records bank transfers against invoices. Transfers to one invoice add up; the one that makes them
/// cover the total marks the period paid, always through <see cref="PeriodStandings.PayAsync"/>
/// (which is where everything that follows a payment hangs), at the start of its value date in the
/// customer's zone and with its bank reference. A transfer recorded again settles the invoice if a
/// crash came between the transfer's commit and the payment, so a retry or a re-upload heals it.
/// </summary>
public sealed partial class BankTransfers(BankTransferStore store, PeriodStandings standings, ILogger<BankTransfers> logger)
{
    public const string ManualSource = "manual";
    public const string StatementSource = "statement";

    /// <summary>A second pass only when a concurrent twin inserted the same bank reference first.</summary>
    private const int MaxRecordAttempts = 2;

    public async Task<TransferResult> RecordAsync(string invoiceId, TransferDraft draft, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxRecordAttempts; attempt++)
        {
            if (await store.FindAsync(draft.BankReference, cancellationToken) is { } existing)
            {
                return await ReplayAsync(existing, invoiceId, draft, cancellationToken);
            }

            if (await BalanceAsync(invoiceId, cancellationToken) is not { } balance)
            {
                return new TransferResult(TransferOutcome.InvoiceNotFound, null, null, $"There is no invoice with id '{invoiceId}'.");
            }

            if (Refusal(balance, draft) is { } refused)
            {
                return refused;
            }

            var transfer = new StoredTransfer(
                draft.BankReference, invoiceId, new Money(draft.Amount, balance.Currency).ToMinorUnits(), balance.Currency.Code, draft.ValueDate.ToDateOnly(),
                draft.PayerName, draft.PayerIban, draft.Source, standings.Now.ToUnixTimeMilliseconds());
            var (inserted, received) = await store.TryInsertAsync(transfer, balance.TotalMinor, cancellationToken);
            if (inserted == TransferInsert.Inserted)
            {
                LogTransferRecorded(logger, invoiceId, transfer.Source, transfer.AmountMinor, transfer.Currency, received, balance.TotalMinor);
                return received == balance.TotalMinor
                    ? new TransferResult(TransferOutcome.Paid, transfer, await SettleAsync(invoiceId, transfer, cancellationToken), null)
                    : new TransferResult(TransferOutcome.Partial, transfer, balance with { ReceivedMinor = received }, null);
            }

            if (inserted == TransferInsert.ExceedsOpen && await BalanceAsync(invoiceId, cancellationToken) is { } now)
            {
                return Refusal(now, draft) ?? throw new InvariantViolationException($"Invoice {invoiceId}: a transfer that fits its open amount was refused as exceeding it.");
            }
        }

        throw new InvariantViolationException($"Bank reference '{draft.BankReference}' was neither found nor inserted in {MaxRecordAttempts} attempts.");
    }

    /// <summary>The invoice's balance as of now; null when there is no such invoice.</summary>
    public async Task<InvoiceBalance?> BalanceAsync(string invoiceId, CancellationToken cancellationToken)
    {
        if (await standings.InvoicedPeriodAsync(invoiceId, cancellationToken) is not { Row: { InvoiceNumber: { } number, Currency: { } code, TotalMinor: { } total } } period)
        {
            return null;
        }

        var received = await store.ReceivedMinorAsync(invoiceId, cancellationToken);
        return new InvoiceBalance(invoiceId, number, Currency.Parse(code), total, received, period.Standing.Status, period.Standing.PaidAt);
    }

    private static TransferResult? Refusal(InvoiceBalance balance, TransferDraft draft)
    {
        if (balance.Status is PeriodStatus.Paid or PeriodStatus.Waived)
        {
            return new TransferResult(TransferOutcome.AlreadyPaid, null, balance, $"Invoice {balance.InvoiceNumber} is already {balance.Status.ToText()}; nothing is open.");
        }

        if (!string.Equals(draft.Currency, balance.Currency.Code, StringComparison.Ordinal))
        {
            return new TransferResult(TransferOutcome.CurrencyMismatch, null, balance, $"Invoice {balance.InvoiceNumber} is in {balance.Currency}; the transfer is in {draft.Currency}.");
        }

        var open = balance.Amount(balance.OpenMinor);
        return draft.Amount > open
            ? new TransferResult(TransferOutcome.ExceedsOpen, null, balance, $"Invoice {balance.InvoiceNumber} has {balance.Currency} {open} open; the transfer is {balance.Currency} {draft.Amount}.")
            : null;
    }

    private async Task<TransferResult> ReplayAsync(StoredTransfer existing, string invoiceId, TransferDraft draft, CancellationToken cancellationToken)
    {
        var same = existing.InvoiceId == invoiceId && existing.Currency == draft.Currency && existing.ValueDate == draft.ValueDate.ToDateOnly()
            && Money.FromMinorUnits(existing.AmountMinor, Currency.Parse(existing.Currency)).Amount == draft.Amount;
        if (!same)
        {
            var amount = Money.FromMinorUnits(existing.AmountMinor, Currency.Parse(existing.Currency));
            return new TransferResult(
                TransferOutcome.ReferenceConflict, existing, await BalanceAsync(existing.InvoiceId, cancellationToken),
                $"Bank reference '{existing.BankReference}' was recorded for invoice {existing.InvoiceId}: {amount} on {existing.ValueDate:yyyy-MM-dd}.");
        }

        return new TransferResult(TransferOutcome.Replayed, existing, await SettleAsync(invoiceId, null, cancellationToken), null);
    }

    /// <summary>
    /// Pays the invoice's period when its transfers cover the total and it is not paid yet; the balance after.
    /// <paramref name="settling"/> is the transfer that made them cover it; null after a crash, when the last recorded one is taken.
    /// </summary>
    private async Task<InvoiceBalance?> SettleAsync(string invoiceId, StoredTransfer? settling, CancellationToken cancellationToken)
    {
        var balance = await BalanceAsync(invoiceId, cancellationToken);
        if (balance is not { Status: PeriodStatus.Pending or PeriodStatus.Overdue } || balance.ReceivedMinor < balance.TotalMinor
            || await standings.InvoicedPeriodAsync(invoiceId, cancellationToken) is not { } period)
        {
            return balance;
        }

        settling ??= (await store.InvoiceTransfersAsync(invoiceId, 1, cancellationToken))[0];
        var zone = DateTimeZoneProviders.Tzdb[period.Row.Period.ZoneId];
        var valueDayStart = LocalDate.FromDateOnly(settling.ValueDate).AtStartOfDayInZone(zone).ToInstant();
        try
        {
            await standings.PayAsync(invoiceId, Instant.Min(valueDayStart, standings.Now), settling.BankReference, cancellationToken);
        }
        catch (InvalidPeriodTransitionException raced)
        {
            // Paid by hand or waived between the read and the payment: the period keeps that.
            LogSettleRaced(logger, invoiceId, raced.Message);
        }

        return await BalanceAsync(invoiceId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invoice {InvoiceId}: {Source} transfer of {AmountMinor} {Currency} minor units recorded; received {ReceivedMinor} of {TotalMinor}")]
    private static partial void LogTransferRecorded(ILogger logger, string invoiceId, string source, long amountMinor, string currency, long receivedMinor, long totalMinor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invoice {InvoiceId}: its transfers cover the total, but its period changed before it could be marked paid: {Reason}")]
    private static partial void LogSettleRaced(ILogger logger, string invoiceId, string reason);
}
