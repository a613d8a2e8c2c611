using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments.Transfers;
using NodaTime;
using NodaTime.Text;

namespace Billing.Silo.Api.Payments;

/// <summary>The body of <c>POST /api/v1/admin/invoices/{id}/transfers</c>: a transfer the bank credited.</summary>
public sealed record TransferRequest(decimal? Amount, string? Currency, string? ValueDate, string? PayerName, string? PayerIban, string? BankReference)
{
    /// <summary>Every problem with the request; the draft when there is none. <paramref name="now"/> bounds the value date.</summary>
    public (TransferDraft? Draft, List<FieldError> Errors) Validate(Instant now)
    {
        var errors = new List<FieldError>();
        InputRules.CheckText(errors, "bank_reference", BankReference, BankStatement.MaxBankLineIdLength, required: true);
        InputRules.CheckText(errors, "payer_name", PayerName, BankStatement.MaxCounterpartyNameLength, required: false);
        if (!Domain.Currency.TryParse(Currency, out var currency))
        {
            errors.Add(new FieldError("currency", $"currency must be one of {string.Join(", ", Domain.Currency.Supported)}"));
        }
        else if (Amount is not { } amount || amount <= 0m || amount > BankStatement.MaxAmount || !new Money(amount, currency).IsRounded)
        {
            errors.Add(new FieldError("amount", $"amount must be greater than 0 with at most {currency.MinorUnitDigits} decimals"));
        }

        var payer = default(Iban?);
        if (PayerIban is not null)
        {
            payer = Iban.TryParse(PayerIban, out var iban, out var reason) ? iban : null;
            if (payer is null)
            {
                errors.Add(new FieldError("payer_iban", $"payer_iban is invalid: {reason}"));
            }
        }

        var valueDate = ReadValueDate(errors, now);
        return errors.Count > 0
            ? (null, errors)
            : (new TransferDraft(BankReference!.Trim(), Amount!.Value, currency.Code, valueDate!.Value, PayerName?.Trim(), payer?.Value, BankTransfers.ManualSource), errors);
    }

    /// <summary>A date no later than today anywhere on earth (UTC+14): the bank has credited the money already.</summary>
    private LocalDate? ReadValueDate(List<FieldError> errors, Instant now)
    {
        var parsed = ValueDate is null ? null : LocalDatePattern.Iso.Parse(ValueDate.Trim());
        if (parsed is not { Success: true })
        {
            errors.Add(new FieldError("value_date", "value_date must be a date like 2026-12-01"));
            return null;
        }

        if (parsed.Value > now.InZone(DateTimeZone.ForOffset(Offset.FromHours(14))).Date)
        {
            errors.Add(new FieldError("value_date", "value_date must not be in the future"));
            return null;
        }

        return parsed.Value;
    }
}

/// <summary>A recorded transfer with its invoice's balance after it: total, received by transfer, open, and the period's status.</summary>
public sealed record TransferResponse(
    string BankReference, string InvoiceId, string InvoiceNumber, decimal Amount, string Currency, DateOnly ValueDate, string? PayerName, string? PayerIban,
    string Source, DateTimeOffset RecordedAt, decimal Total, decimal Received, decimal Open, string Status, DateTimeOffset? PaidAt)
{
    public static TransferResponse From(StoredTransfer transfer, InvoiceBalance balance) => new(
        transfer.BankReference, transfer.InvoiceId, balance.InvoiceNumber, balance.Amount(transfer.AmountMinor), transfer.Currency, transfer.ValueDate,
        transfer.PayerName, Iban.TryParse(transfer.PayerIban, out var iban, out _) ? iban.Masked : null, transfer.Source,
        DateTimeOffset.FromUnixTimeMilliseconds(transfer.RecordedAtMs), balance.Amount(balance.TotalMinor), balance.Amount(balance.ReceivedMinor),
        balance.Amount(balance.OpenMinor), balance.Status.ToText(), balance.PaidAt?.ToDateTimeOffset());
}

public sealed record TransferListResponse(string InvoiceId, string InvoiceNumber, string Currency, decimal Total, decimal Received, decimal Open, string Status, IReadOnlyList<TransferResponse> Transfers);

/// <summary>One statement line in the upload's answer.</summary>
public sealed record StatementLineResponse(
    int Line, string BankLineId, DateOnly BookingDate, decimal Amount, string Currency, string Direction, string? Reference,
    string? InvoiceId, string? InvoiceNumber, decimal? Open, string Status, string? Detail)
{
    public static StatementLineResponse From(StatementLineResult result)
    {
        var entry = result.Entry;
        return new StatementLineResponse(
            entry.Line, entry.BankLineId, entry.BookingDate.ToDateOnly(), entry.Amount, entry.CurrencyCode, entry.Direction == StatementDirection.Credit ? "credit" : "debit",
            result.Reference?.Value, result.Invoice?.InvoiceId, result.Invoice?.InvoiceNumber,
            result.Invoice is { } invoice ? invoice.Amount(invoice.OpenMinor) : null, result.Status, result.Detail);
    }
}

/// <summary>The upload's answer: every line in file order, and how many lines ended in each status (all of them listed, zeros too).</summary>
public sealed record StatementReportResponse(string Format, int Lines, IReadOnlyDictionary<string, int> Summary, IReadOnlyList<StatementLineResponse> Entries)
{
    public static StatementReportResponse From(string format, IReadOnlyList<StatementLineResult> results) => new(
        format, results.Count,
        StatementLineStatus.All.ToDictionary(s => s, s => results.Count(r => r.Status == s), StringComparer.Ordinal),
        [.. results.Select(StatementLineResponse.From)]);
}
