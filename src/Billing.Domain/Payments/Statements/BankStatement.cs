using NodaTime;

namespace Billing.Domain.Payments;

public enum StatementDirection
{
    Credit,
    Debit,
}

/// <summary>
/// One booked line of a bank statement as the bank wrote it: money in (credit) or out (debit),
/// always a positive amount with its direction. <see cref="BankLineId"/> is the bank's own id of
/// the line (CAMT's AcctSvcrRef), unique on the account, so a line imported twice is known.
/// <see cref="Line"/> is where it stands in the file, for the report.
/// </summary>
public sealed record StatementEntry(
    int Line,
    string BankLineId,
    LocalDate BookingDate,
    decimal Amount,
    string CurrencyCode,
    StatementDirection Direction,
    string? StructuredReference,
    string? RemittanceText,
    string? CounterpartyName,
    string? CounterpartyIban)
{
    /// <summary>The RF reference the payer quoted, structured or in the text; null when there is no valid one.</summary>
    public CreditorReference? FindReference() => RemittanceReference.Find(StructuredReference, RemittanceText);
}

/// <summary>A parsed statement: its format ("csv" or "camt.053") and its lines in file order.</summary>
public sealed record BankStatement(string Format, IReadOnlyList<StatementEntry> Entries)
{
    /// <summary>A day of a busy account is well under this; a larger upload is refused unread.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Every line is matched and recorded in the request, so the count bounds its work.</summary>
    public const int MaxEntries = 5_000;

    /// <summary>The bank's line id is stored as the transfer's key; ISO 20022 allows 35 characters.</summary>
    public const int MaxBankLineIdLength = 100;

    /// <summary>Below a trillion: an amount in minor units always fits a long.</summary>
    public const decimal MaxAmount = 999_999_999_999.999m;

    /// <summary>ISO 20022 names are Max140Text.</summary>
    public const int MaxCounterpartyNameLength = 140;
}

/// <summary>A statement that cannot be read; <see cref="Line"/> (from 1; 0: the file as a whole) says where.</summary>
public sealed class StatementFormatException(int line, string reason)
    : FormatException(line > 0 ? $"Line {line}: {reason}" : reason)
{
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
