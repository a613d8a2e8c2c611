using Billing.Silo.Telemetry;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Periods and invoices. Closing a period is one transaction: the period is frozen, the next one
/// opened, pending lines and revenue events marked billed, a scheduled downgrade applied, the
/// invoice number taken from its counter and the invoice written. A crash before the commit leaves nothing; after it,
/// everything. The unique (shop, period) key makes a second invoice impossible, and since the
/// counter moves inside the same transaction, a rolled-back close leaves no gap in the numbers.
/// </summary>
public sealed partial class InvoiceBook(
    SqlDatabase database, IOptions<BillingOptions> options, IEnumerable<IInvoiceIssueParticipant> participants, BillingMetrics metrics)
{
    internal static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web);

    private readonly BillingOptions settings = options.Value;
    private static readonly InvoiceNumberFormat TestClockNumberFormat = InvoiceNumberFormat.Parse("TEST-{year}-{number:06}");

    private readonly InvoiceNumberFormat numberFormat = options.Value.ParsedNumberFormat;
    private readonly IInvoiceIssueParticipant[] issueParticipants = [.. participants];

    public Task<InvoiceDocument> IssueAsync(string shopId, PeriodClose close, long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await FreezePeriodAsync(connection, transaction, shopId, close, nowMs, ct);
                await MarkLinesBilledAsync(connection, transaction, shopId, close, ct);
                await RevenueStore.ClaimAsync(connection, transaction, shopId, close, ct);
                // The shop's terms become those the next period opens with (a scheduled downgrade).
                if (await ApplyScheduledChangeAsync(connection, transaction, shopId, nowMs, ct))
                {
                    await ShopTermsHistory.RecordAsync(connection, transaction, shopId, close.Next.StartInstant.ToUnixTimeMilliseconds(), nowMs, ct);
                }

                if (!close.IsFinal)
                {
                    await OpenPeriodAsync(connection, transaction, shopId, close.Next, close.NextTerms, ct);
                }

                var followUps = await JoinParticipantsAsync(connection, transaction, close.Document, nowMs, ct);
                // Last, so the counter row (which every close of the year shares) is locked for the shortest time.
                var document = await NumberInsertAndCommitAsync(connection, transaction, close, nowMs, ct);
                foreach (var followUp in followUps)
                {
                    followUp(document);
                }

                metrics.InvoiceIssued();
                return document;
            },
            cancellationToken);

    private async Task<List<Action<InvoiceDocument>>> JoinParticipantsAsync(
        DbConnection connection, DbTransaction transaction, InvoiceDocument draft, long nowMs, CancellationToken ct)
    {
        var followUps = new List<Action<InvoiceDocument>>(issueParticipants.Length);
        foreach (var participant in issueParticipants)
        {
            if (await participant.JoinAsync(connection, transaction, draft, nowMs, ct) is { } followUp)
            {
                followUps.Add(followUp);
            }
        }

        return followUps;
    }

    /// <summary>Opens a shop's first period and returns it; when it already has an open one (opened meanwhile), returns that one.</summary>
    public Task<OpenPeriodRow> OpenFirstPeriodAsync(string shopId, BillingPeriod period, OpeningTerms terms, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var current = connection.CreateCommand(
                    $"SELECT {OpenPeriodRow.Columns} FROM billing_periods WHERE shop_id = @shop AND is_current = TRUE", transaction).With("shop", shopId);
                var open = await ReadOpenPeriodAsync(current, ct);
                if (open is null)
                {
                    await OpenPeriodAsync(connection, transaction, shopId, period, terms, ct);
                    open = new OpenPeriodRow(period, terms.Cycle, terms.PricePlanId, terms.Seats);
                }

                await transaction.CommitAsync(ct);
                return open;
            },
            cancellationToken);

    private static async Task<OpenPeriodRow?> ReadOpenPeriodAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? OpenPeriodRow.Read(reader, 0) : null;
    }

    private static async Task FreezePeriodAsync(DbConnection connection, DbTransaction transaction, string shopId, PeriodClose close, long nowMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            UPDATE billing_periods
            SET is_current = FALSE, closed_at_ms = @now_ms, usage_watermark_seq = @watermark, requests = @requests, tokens = @tokens,
                errors = @errors, invoice_id = @invoice, due_date = @due, period_end = @end, end_ms = @end_ms
            WHERE shop_id = @shop AND period_start = @start AND is_current = TRUE
            """,
            transaction)
            .With("now_ms", nowMs).With("watermark", close.WatermarkSequence).With("requests", close.Totals.Requests).With("tokens", close.Totals.Tokens)
            .With("errors", close.Totals.Errors).With("invoice", close.Document.Id).With("due", Iso(close.Document.DueDate))
            .With("shop", shopId).With("start", Iso(close.Period.Start.ToDateOnly()))
            // A closed shop's last period ends the day it closed; any other ends where it was opened to.
            .With("end", Iso(close.Period.EndExclusive.ToDateOnly())).With("end_ms", close.Period.EndInstant.ToUnixTimeMilliseconds());
        if (await command.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new ConcurrentCloseException(shopId, close.Period);
        }
    }

    /// <summary>The terms are the pricer's, so the period row bills exactly what the close assumed it opens with.</summary>
    private static async Task OpenPeriodAsync(
        DbConnection connection, DbTransaction transaction, string shopId, BillingPeriod period, OpeningTerms terms, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO billing_periods (shop_id, period_start, period_end, cycle, zone, start_ms, end_ms, is_current, status, price_plan_id, seats)
            VALUES (@shop, @start, @end, @cycle, @zone, @start_ms, @end_ms, TRUE, 'pending', @plan, @seats)
            """,
            transaction)
            .With("shop", shopId).With("start", Iso(period.Start.ToDateOnly())).With("end", Iso(period.EndExclusive.ToDateOnly()))
            .With("cycle", terms.Cycle).With("zone", period.ZoneId).With("plan", terms.PricePlanId).With("seats", terms.Seats)
            .With("start_ms", period.StartInstant.ToUnixTimeMilliseconds()).With("end_ms", period.EndInstant.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task MarkLinesBilledAsync(DbConnection connection, DbTransaction transaction, string shopId, PeriodClose close, CancellationToken ct)
    {
        foreach (var lineId in close.PendingLineIds)
        {
            await using var command = connection.CreateCommand(
                "UPDATE pending_invoice_lines SET billed_invoice_id = @invoice WHERE id = @id AND shop_id = @shop AND billed_invoice_id IS NULL", transaction)
                .With("invoice", close.Document.Id).With("id", lineId).With("shop", shopId);
            if (await command.ExecuteNonQueryAsync(ct) != 1)
            {
                throw new ConcurrentCloseException(shopId, close.Period);
            }
        }
    }

    /// <summary>A downgrade (or fewer seats) takes effect when the period it was asked in ends.</summary>
    private static async Task<bool> ApplyScheduledChangeAsync(DbConnection connection, DbTransaction transaction, string shopId, long nowMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            UPDATE shop_billing
            SET price_plan_id = COALESCE(next_price_plan_id, price_plan_id), seats = COALESCE(next_seats, seats),
                next_price_plan_id = NULL, next_seats = NULL, updated_at_ms = @now_ms
            WHERE shop_id = @shop AND (next_price_plan_id IS NOT NULL OR next_seats IS NOT NULL)
            """,
            transaction).With("shop", shopId).With("now_ms", nowMs);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<long> NextNumberAsync(DbConnection connection, DbTransaction transaction, string issuer, int year, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(DrawNumber, transaction).With("issuer", issuer).With("year", year);
        return await command.ScalarInt64Async(ct) ?? throw new InvariantViolationException("The invoice counter returned no number.");
    }

    private async Task InsertInvoiceAsync(
        DbConnection connection, DbTransaction transaction, PeriodClose close, InvoiceDocument document, long number, long nowMs, CancellationToken ct)
    {
        await using var command = InvoiceInsert(
            connection,
            transaction,
            $"""
            {InsertInvoiceInto}
            VALUES (@id, @shop, @customer, @start, @issuer, @year, @seq, @number, @currency, @subtotal, @vat, @total, @now_ms, @document)
            """,
            close,
            document,
            nowMs).With("seq", number).With("number", document.Number);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An invoice insert's command with every column but the number's.</summary>
    private DbCommand InvoiceInsert(DbConnection connection, DbTransaction transaction, string sql, PeriodClose close, InvoiceDocument document, long nowMs)
    {
        var currency = Currency.Parse(document.Currency);
        return connection.CreateCommand(sql, transaction)
            .With("id", document.Id).With("shop", document.ShopId).With("customer", document.CustomerId).With("start", Iso(close.Period.Start.ToDateOnly()))
            .With("issuer", IssuerOf(close)).With("year", CounterYear(close))
            .With("currency", document.Currency).With("subtotal", MinorUnits(document.Subtotal, currency)).With("vat", MinorUnits(document.Vat, currency))
            .With("total", MinorUnits(document.Total, currency)).With("now_ms", nowMs).With("document", JsonSerializer.Serialize(document, DocumentJson));
    }

    /// <summary>A format without {year} numbers one sequence for all years: it must not restart in January.</summary>
    private int CounterYear(PeriodClose close) => FormatOf(close).IncludesYear ? close.InvoiceYear : 0;

    /// <summary>
    /// Test-clock invoices are numbered in a series of their own (TEST-2026-000001…, counted under
    /// their own issuer key): deleting a clock deletes its invoices, and the real series keeps no gap.
    /// </summary>
    private InvoiceNumberFormat FormatOf(PeriodClose close) => close.OnTestClock ? TestClockNumberFormat : numberFormat;

    private string IssuerOf(PeriodClose close) => close.OnTestClock ? settings.TestClockIssuer : settings.IssuerName;

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long MinorUnits(decimal amount, Currency currency) => new Money(amount, currency).ToMinorUnits();
}
