using System.Data.Common;
using System.Text.Json;
using Billing.Contracts.Runs;
using Billing.Silo.Storage.Sql;
using Billing.Silo.TestClocks;

namespace Billing.Silo.Invoicing.Runs;

/// <summary>Billing runs' summaries, their dead letters, and the shops a run goes through.</summary>
public sealed class BillingRunStore(SqlDatabase database)
{
    public const int ShopPageSize = 1_000;
    public const int MaxErrorLength = 2_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task SaveAsync(RunSnapshot run, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    """
                    INSERT INTO billing_runs (id, trigger_kind, period, dry_run, status, started_at_ms, finished_at_ms, summary_json)
                    VALUES (@id, @trigger, @period, @dry_run, @status, @started_ms, @finished_ms, @summary)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at_ms = excluded.finished_at_ms, summary_json = excluded.summary_json
                    """)
                    .With("id", run.RunId).With("trigger", run.Trigger.ToString()).With("period", run.Period).With("dry_run", run.DryRun)
                    .With("status", run.Status.ToString()).With("started_ms", run.StartedAt.ToUnixTimeMilliseconds())
                    .With("finished_ms", run.FinishedAt?.ToUnixTimeMilliseconds()).With("summary", JsonSerializer.Serialize(run with { Results = [], Failures = [] }, Json));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    public Task<RunSnapshot?> FindAsync(string runId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT summary_json FROM billing_runs WHERE id = @id").With("id", runId);
                return await command.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize<RunSnapshot>(json, Json) : null;
            },
            cancellationToken);

    /// <summary>The newest runs first.</summary>
    public Task<IReadOnlyList<RunSnapshot>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        ReadListAsync(
            "SELECT summary_json FROM billing_runs ORDER BY started_at_ms DESC, id DESC LIMIT @limit", limit,
            r => JsonSerializer.Deserialize<RunSnapshot>(r.GetString(0), Json)!, cancellationToken);

    public Task AddDeadLetterAsync(string runId, string period, ShopRunFailure failure, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    """
                    INSERT INTO billing_dead_letters (run_id, shop_id, period, error, attempts, failed_at_ms)
                    VALUES (@run, @shop, @period, @error, @attempts, @at_ms)
                    ON CONFLICT (run_id, shop_id) DO NOTHING
                    """)
                    .With("run", runId).With("shop", failure.ShopId).With("period", period).With("attempts", failure.Attempts)
                    .With("error", failure.Error.Length > MaxErrorLength ? failure.Error[..MaxErrorLength] : failure.Error).With("at_ms", at.ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    /// <summary>The newest first, already in the API's shape: dead letters are only ever read to be shown.</summary>
    public Task<IReadOnlyList<DeadLetterResponse>> DeadLettersAsync(int limit, CancellationToken cancellationToken) =>
        ReadListAsync(
            "SELECT run_id, shop_id, period, error, attempts, failed_at_ms FROM billing_dead_letters ORDER BY failed_at_ms DESC, shop_id LIMIT @limit", limit,
            r => new DeadLetterResponse(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            cancellationToken);

    public Task<long> CountAsync(string sql, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            cancellationToken);

    /// <summary>Every shop id in id order, a page at a time, so a run over 100,000 shops never holds them all; test-clock shops close when their clock is advanced, never in a run.</summary>
    public async IAsyncEnumerable<string> AllShopIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var page = await ReadListAsync(
                $"SELECT id FROM shops WHERE id > @after {TestClockFilter.OfShops} ORDER BY id LIMIT @limit", ShopPageSize, r => r.GetString(0), cancellationToken, ("after", after));
            foreach (var id in page)
            {
                yield return id;
            }

            if (page.Count < ShopPageSize)
            {
                yield break;
            }

            after = page[^1];
        }
    }

    private Task<IReadOnlyList<T>> ReadListAsync<T>(
        string sql, int limit, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        database.QueryListAsync(
            sql,
            command =>
            {
                command.With("limit", limit);
                foreach (var (name, value) in parameters)
                {
                    command.With(name, value);
                }

                return command;
            },
            map,
            cancellationToken);
}
