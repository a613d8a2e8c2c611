using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Email;

/// <summary>A mail a sender claimed: what it needs to compose and send it.</summary>
public sealed record ClaimedEmail(
    string Id, string Kind, string Recipient, string? Subject, string? HtmlBody, string? TextBody, string? AttachmentsJson, string? InvoiceId, int Attempts)
{
    public IReadOnlyList<EmailAttachment> Attachments =>
        AttachmentsJson is null ? [] : JsonSerializer.Deserialize<List<EmailAttachment>>(AttachmentsJson) ?? [];
}

/// <summary>
/// Claims with a lease: a sender takes due pending rows by writing its claim token and the lease's
/// end into them, in one statement that skips rows another sender holds (PostgreSQL: <c>FOR UPDATE
/// SKIP LOCKED</c>; SQLite has one writer at a time). A row held past its lease (its sender died)
/// is due again. Every outcome is written only under the claimant's token, so a sender whose lease
/// ran out can not overwrite what the next claimant did.
/// </summary>
public sealed partial class EmailOutbox
{
    /// <summary>Claims up to <paramref name="batchSize"/> due mails until <paramref name="leaseUntilMs"/>, oldest due first.</summary>
    internal Task<IReadOnlyList<ClaimedEmail>> ClaimDueAsync(string claimToken, int batchSize, long nowMs, long leaseUntilMs, CancellationToken cancellationToken)
    {
        if (batchSize is < 1 or > EmailOptions.MaxBatchSize || leaseUntilMs <= nowMs)
        {
            throw new InvariantViolationException($"A claim takes 1..{EmailOptions.MaxBatchSize} mails for a lease in the future, asked {batchSize} until {leaseUntilMs} at {nowMs}.");
        }

        const string Due = "status = 'pending' AND next_attempt_at_ms <= @now_ms AND (claimed_until_ms IS NULL OR claimed_until_ms <= @now_ms)";
        var sql = $"""
            UPDATE email_outbox SET claim_token = @token, claimed_until_ms = @lease_until_ms
            WHERE id IN (SELECT id FROM email_outbox WHERE {Due} ORDER BY next_attempt_at_ms, id LIMIT @batch {database.SkipLockedClause}) AND {Due}
            RETURNING id, kind, recipient, subject, html_body, text_body, attachments_json, invoice_id, attempts
            """;
        return database.WriteAsync<IReadOnlyList<ClaimedEmail>>(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql)
                    .With("token", claimToken).With("lease_until_ms", leaseUntilMs).With("now_ms", nowMs).With("batch", batchSize);
                var claimed = new List<ClaimedEmail>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    claimed.Add(new ClaimedEmail(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7),
                        reader.GetInt32(8)));
                }

                return claimed;
            },
            cancellationToken);
    }

    /// <summary>Sent: the row is done. False when the claim was lost (the lease ran out and another sender took the row).</summary>
    internal Task<bool> MarkSentAsync(ClaimedEmail email, string claimToken, string subject, long nowMs, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(
            """
            UPDATE email_outbox SET status = 'sent', attempts = attempts + 1, sent_at_ms = @now_ms, subject = COALESCE(subject, @subject),
                   last_error = NULL, claim_token = NULL, claimed_until_ms = NULL
            WHERE id = @id AND claim_token = @token
            """,
            c => c.With("now_ms", nowMs).With("subject", subject).With("id", email.Id).With("token", claimToken),
            cancellationToken);

    /// <summary>A failed attempt: due again at <paramref name="retryAtMs"/>, or (null) failed for good.</summary>
    internal Task<bool> MarkAttemptFailedAsync(ClaimedEmail email, string claimToken, string? subject, string error, long? retryAtMs, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(
            """
            UPDATE email_outbox SET status = @status, attempts = attempts + 1, next_attempt_at_ms = COALESCE(@retry_at_ms, next_attempt_at_ms),
                   subject = COALESCE(subject, @subject), last_error = @error, claim_token = NULL, claimed_until_ms = NULL
            WHERE id = @id AND claim_token = @token
            """,
            c => c.With("status", retryAtMs is null ? EmailStatus.Failed : EmailStatus.Pending).With("retry_at_ms", retryAtMs).With("subject", subject)
                .With("error", error).With("id", email.Id).With("token", claimToken),
            cancellationToken);

    private Task<bool> UpdateClaimedAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql));
                return await command.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
