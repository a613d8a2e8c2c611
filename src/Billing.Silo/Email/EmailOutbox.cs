using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Email;

/// <summary>
/// The <c>email_outbox</c> table. A mail is queued in the caller's transaction, beside the fact it
/// reports, so the fact and its mail commit or roll back together; the <see cref="EmailSender"/>
/// sends it later. The unique dedupe key makes queueing the same fact twice change nothing. While
/// e-mail is off nothing is queued and no SQL runs.
/// </summary>
public sealed partial class EmailOutbox(SqlDatabase database, IOptions<EmailOptions> options, TimeProvider time)
{
    public const int MaxPageSize = 500;

    private const string Insert =
        """
        INSERT INTO email_outbox (id, kind, dedupe_key, recipient, subject, html_body, text_body, attachments_json, invoice_id, status, attempts, next_attempt_at_ms, created_at_ms)
        VALUES (@id, @kind, @dedupe_key, @recipient, @subject, @html_body, @text_body, @attachments_json, NULL, 'pending', 0, @now_ms, @now_ms)
        ON CONFLICT (dedupe_key) DO NOTHING
        """;

    // The recipient is the customer's address as it is when the invoice is issued, read in the same statement.
    private const string InsertInvoiceMail =
        """
        INSERT INTO email_outbox (id, kind, dedupe_key, recipient, invoice_id, status, attempts, next_attempt_at_ms, created_at_ms)
        SELECT @id, @kind, @dedupe_key, c.email, @invoice_id, 'pending', 0, @now_ms, @now_ms FROM customers c WHERE c.id = @customer_id
        ON CONFLICT (dedupe_key) DO NOTHING
        """;

    private readonly EmailOptions settings = options.Value;

    /// <summary>Whether mail is sent at all (<see cref="EmailOptions.SmtpHost"/> is set).</summary>
    public bool IsEnabled => settings.IsEnabled;

    /// <summary>Whether cost alerts are mailed (to <see cref="EmailOptions.AlertRecipient"/>).</summary>
    public bool SendsCostAlerts => settings.IsEnabled && settings.AlertRecipient is not null;

    /// <summary>
    /// Queues <paramref name="email"/> in the caller's transaction; false when e-mail is off or the
    /// fact (its dedupe key) was queued before. Throws <see cref="ArgumentException"/> for a mail beyond its bounds.
    /// </summary>
    public async Task<bool> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutgoingEmail email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (!IsEnabled)
        {
            return false;
        }

        email.EnsureBounded();
        await using var command = connection.CreateCommand(Insert, transaction)
            .With("id", NewId()).With("kind", email.Kind).With("dedupe_key", email.DedupeKey).With("recipient", email.Recipient)
            .With("subject", email.Subject).With("html_body", email.HtmlBody).With("text_body", email.TextBody)
            .With("attachments_json", email.Attachments.Count == 0 ? null : JsonSerializer.Serialize(email.Attachments))
            .With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Queues the mail of an invoice being issued, in the close's transaction (before its number is
    /// drawn): one small row naming the invoice and its customer's address. Subject, bodies and the
    /// HTML and CSV attachments are composed when sent, from the invoice as stored, which never changes.
    /// </summary>
    public async Task<bool> EnqueueInvoiceIssuedAsync(DbConnection connection, DbTransaction transaction, InvoiceDocument invoice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (!IsEnabled)
        {
            return false;
        }

        await using var command = connection.CreateCommand(InsertInvoiceMail, transaction)
            .With("id", NewId()).With("kind", EmailKinds.InvoiceIssued).With("dedupe_key", $"{EmailKinds.InvoiceIssued}:{invoice.Id}")
            .With("invoice_id", invoice.Id).With("customer_id", invoice.CustomerId).With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Queues a new cost alert's mail to the operators, in the transaction that records the alert; other alerts are not mailed.</summary>
    public Task<bool> EnqueueCostAlertAsync(DbConnection connection, DbTransaction transaction, Alert alert, CancellationToken ct) =>
        SendsCostAlerts && alert.Kind is AlertKinds.CostDaily or AlertKinds.CostWeekly or AlertKinds.CostCustomerDaily
            ? EnqueueAsync(connection, transaction, EmailTemplates.CostAlert(settings.AlertRecipient!, alert), ct)
            : Task.FromResult(false);

    /// <summary>Newest first, without bodies; <paramref name="after"/> is the last id of the previous page.</summary>
    public Task<IReadOnlyList<EmailOutboxEntry>> ListAsync(string? status, string? after, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPageSize + 1 || (status is not null && !EmailStatus.IsKnown(status)))
        {
            throw new InvariantViolationException($"An e-mail page holds 1..{MaxPageSize + 1} rows of a known status, asked {limit} of '{status}'.");
        }

        var sql = $"SELECT {EmailOutboxEntry.Columns} FROM email_outbox WHERE 1 = 1"
            + (status is null ? "" : " AND status = @status")
            + (after is null ? "" : " AND (created_at_ms, id) < (SELECT created_at_ms, id FROM email_outbox WHERE id = @after)")
            + " ORDER BY created_at_ms DESC, id DESC LIMIT @limit";
        return database.QueryListAsync(
            sql,
            c =>
            {
                // Each parameter only when the SQL names it.
                _ = status is null ? c : c.With("status", status);
                _ = after is null ? c : c.With("after", after);
                return c.With("limit", limit);
            },
            EmailOutboxEntry.Read,
            cancellationToken);
    }

    /// <summary>Deletes at most <paramref name="limit"/> sent or failed mails created before <paramref name="beforeMs"/>, oldest first; answers how many.</summary>
    public Task<int> PurgeAsync(long beforeMs, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    """
                    DELETE FROM email_outbox WHERE id IN (
                        SELECT id FROM email_outbox WHERE created_at_ms < @before_ms AND status IN ('sent', 'failed') ORDER BY created_at_ms LIMIT @limit)
                    """)
                    .With("before_ms", beforeMs).With("limit", Math.Clamp(limit, 1, EmailOptions.MaxBatchSize));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}

/// <summary>An outbox row as listed: everything but the bodies and attachments.</summary>
public sealed record EmailOutboxEntry(
    string Id, string Kind, string DedupeKey, string Recipient, string? Subject, string? InvoiceId, string Status, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    internal const string Columns = "id, kind, dedupe_key, recipient, subject, invoice_id, status, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms";

    internal static EmailOutboxEntry Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.GetString(6), r.GetInt32(7), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.IsDBNull(9) ? null : r.GetString(9),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)), r.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)));
}
