using Billing.Domain;
using Billing.Domain.Payments;

namespace Billing.Silo.Payments.Transfers;

/// <summary>What became of each statement line; the texts are the API's.</summary>
public static class StatementLineStatus
{
    public const string MatchedPaid = "matched_paid";
    public const string MatchedPartial = "matched_partial";
    public const string AlreadyPaid = "already_paid";
    public const string AmountExceedsOpen = "amount_exceeds_open";
    public const string CurrencyMismatch = "currency_mismatch";
    public const string UnknownReference = "unknown_reference";
    public const string NoReference = "no_reference";
    public const string DebitIgnored = "debit_ignored";
    public const string Duplicate = "duplicate";

    /// <summary>Every status, in the order the report counts them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [MatchedPaid, MatchedPartial, AlreadyPaid, AmountExceedsOpen, CurrencyMismatch, UnknownReference, NoReference, DebitIgnored, Duplicate];
}

/// <summary>One line of the report: the line as the bank wrote it, the invoice its reference named, and what was done.</summary>
public sealed record StatementLineResult(StatementEntry Entry, CreditorReference? Reference, InvoiceBalance? Invoice, string Status, string? Detail);

/// <summary>
/// Matches a statement's lines to invoices and records the matching ones as transfers, one line
/// at a time, in file order. A credit line whose RF reference names an invoice is recorded under
/// its bank line id, exactly as an operator's transfer would be; every other line changes nothing.
/// A line recorded before (this upload or an earlier one) is a duplicate, so uploading the same
/// statement again changes nothing, and one cut short by a crash is finished by uploading it again.
/// </summary>
public sealed class StatementImport(BankTransfers transfers, BankTransferStore store)
{
    public async Task<IReadOnlyList<StatementLineResult>> ImportAsync(BankStatement statement, CancellationToken cancellationToken)
    {
        if (statement.Entries.Count > BankStatement.MaxEntries)
        {
            throw new InvariantViolationException($"A statement of {statement.Entries.Count} lines passed the parser's bound of {BankStatement.MaxEntries}.");
        }

        var results = new List<StatementLineResult>(statement.Entries.Count);
        foreach (var entry in statement.Entries)
        {
            results.Add(await ImportAsync(entry, cancellationToken));
        }

        return results;
    }

    private async Task<StatementLineResult> ImportAsync(StatementEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Direction == StatementDirection.Debit)
        {
            return new StatementLineResult(entry, null, null, StatementLineStatus.DebitIgnored, null);
        }

        if (entry.FindReference() is not { } reference)
        {
            return new StatementLineResult(entry, null, null, StatementLineStatus.NoReference, "No RF creditor reference with valid check digits in the remittance information.");
        }

        var named = await store.InvoicesNamedByAsync(reference, cancellationToken);
        var invoices = named.Where(i => CreditorReference.FromInvoiceNumber(i.Number) == reference).ToList();
        if (invoices.Count != 1)
        {
            var unknown = invoices.Count == 0 ? $"No invoice has the reference {reference.Formatted}." : $"More than one invoice has the reference {reference.Formatted}.";
            return new StatementLineResult(entry, reference, null, StatementLineStatus.UnknownReference, unknown);
        }

        var payer = Iban.TryParse(entry.CounterpartyIban, out var iban, out _) ? iban.Value : null;
        var draft = new TransferDraft(entry.BankLineId, entry.Amount, entry.CurrencyCode, entry.BookingDate, entry.CounterpartyName, payer, BankTransfers.StatementSource);
        var result = await transfers.RecordAsync(invoices[0].Id, draft, cancellationToken);
        var status = result.Outcome switch
        {
            TransferOutcome.Paid => StatementLineStatus.MatchedPaid,
            TransferOutcome.Partial => StatementLineStatus.MatchedPartial,
            TransferOutcome.Replayed or TransferOutcome.ReferenceConflict => StatementLineStatus.Duplicate,
            TransferOutcome.AlreadyPaid => StatementLineStatus.AlreadyPaid,
            TransferOutcome.CurrencyMismatch => StatementLineStatus.CurrencyMismatch,
            TransferOutcome.ExceedsOpen => StatementLineStatus.AmountExceedsOpen,
            TransferOutcome.InvoiceNotFound => StatementLineStatus.UnknownReference,
            _ => throw new InvariantViolationException($"Transfer outcome {result.Outcome} has no statement status."),
        };
        var detail = result.Outcome == TransferOutcome.Replayed ? $"Bank line '{entry.BankLineId}' was recorded before." : result.Detail;
        return new StatementLineResult(entry, reference, result.Balance, status, detail);
    }
}
