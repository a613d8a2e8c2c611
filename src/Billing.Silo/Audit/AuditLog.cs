using System.Data.Common;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Audit;

/// <summary>What was done to which resource, with its state before and after (JSON, sanitized when written).</summary>
public sealed record AuditRecord(string Action, string ResourceType, string? ResourceId, string? BeforeJson, string? AfterJson);

/// <summary>A stored audit row: <see cref="Seq"/> orders the log and pages it.</summary>
public sealed record AuditEntry(
    long Seq, DateTimeOffset At, AuditActor Actor, string Action, string ResourceType, string? ResourceId, string? BeforeJson, string? AfterJson);

/// <summary>A filter on the log; every member optional but <see cref="Limit"/>. <see cref="BeforeSeq"/> is the paging cursor.</summary>
public sealed record AuditQuery(string? ResourceId, string? ActorId, string? Action, DateTimeOffset? From, DateTimeOffset? To, long? BeforeSeq, int Limit);

/// <summary>
/// The append-only audit log in <c>audit_log</c>. There is no update or delete here or anywhere:
/// rows are only ever inserted (inside the caller's transaction where the change is one) and
/// read in pages, newest first. The actor is the current <see cref="AuditContext"/>'s, else <c>system</c>.
/// </summary>
public sealed class AuditLog(SqlDatabase database, TimeProvider time)
{
    public const int MaxPageSize = 500;
    public const int MaxTextLength = 200;

    private const string Columns = "seq, at_ms, actor_type, actor_id, actor_name, action, resource_type, resource_id, before_json, after_json";

    /// <summary>In a transaction of its own: for changes that are not one SQL transaction (grain journals, several stores), written right after them.</summary>
    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, ct) => { await AppendAsync(connection, null, record, ct); return true; }, cancellationToken);

    /// <summary>On the caller's connection and transaction, so the row commits (or not) with the change it records.</summary>
    public async Task AppendAsync(DbConnection connection, DbTransaction? transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        var scope = AuditContext.Current;
        var actor = scope?.Actor ?? AuditActor.System;
        await using var command = connection.CreateCommand(
                $"""
                INSERT INTO audit_log (at_ms, actor_type, actor_id, actor_name, action, resource_type, resource_id, before_json, after_json)
                VALUES (@at_ms, @actor_type, @actor_id, @actor_name, @action, @resource_type, @resource_id, @before_json, @after_json)
                """,
                transaction)
            .With("at_ms", time.GetUtcNow().ToUnixTimeMilliseconds()).With("actor_type", actor.Type).With("actor_id", Bounded(actor.Id))
            .With("actor_name", actor.Name is null ? null : Bounded(actor.Name)).With("action", Bounded(record.Action))
            .With("resource_type", Bounded(record.ResourceType)).With("resource_id", record.ResourceId is null ? null : Bounded(record.ResourceId))
            .With("before_json", AuditJson.Sanitize(record.BeforeJson)).With("after_json", AuditJson.Sanitize(record.AfterJson));
        await command.ExecuteNonQueryAsync(cancellationToken);
        scope?.NoteRecorded();
    }

    /// <summary>Newest first, at most <see cref="AuditQuery.Limit"/> rows (1..<see cref="MaxPageSize"/>).</summary>
    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPageSize);
        // Only the filters given become clauses and parameters (an unused parameter has no type in PostgreSQL).
        (string Clause, string Name, object? Value)[] filters =
        [
            ("resource_id = @resource", "resource", query.ResourceId), ("actor_id = @actor", "actor", query.ActorId),
            ("action = @action", "action", query.Action), ("at_ms >= @from_ms", "from_ms", query.From?.ToUnixTimeMilliseconds()),
            ("at_ms < @to_ms", "to_ms", query.To?.ToUnixTimeMilliseconds()), ("seq < @before_seq", "before_seq", query.BeforeSeq),
        ];
        var given = filters.Where(f => f.Value is not null).ToList();
        var where = given.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", given.Select(f => f.Clause));
        return database.QueryListAsync(
            $"SELECT {Columns} FROM audit_log {where} ORDER BY seq DESC LIMIT @limit",
            c => given.Aggregate(c.With("limit", query.Limit), (command, f) => command.With(f.Name, f.Value)),
            r => new AuditEntry(
                r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), new AuditActor(r.GetString(2), r.GetString(3), TextAt(r, 4)),
                r.GetString(5), r.GetString(6), TextAt(r, 7), TextAt(r, 8), TextAt(r, 9)),
            cancellationToken);
    }

    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];

    private static string? TextAt(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
