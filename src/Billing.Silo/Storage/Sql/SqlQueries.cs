using System.Data.Common;

namespace Billing.Silo.Storage.Sql;

/// <summary>The two shapes most reads take: every row mapped, or the first row (or null).</summary>
public static class SqlQueries
{
    public static Task<IReadOnlyList<T>> QueryListAsync<T>(
        this SqlDatabase database, string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<T>>(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql));
                var items = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    items.Add(map(reader));
                }

                return items;
            },
            cancellationToken);

    public static Task<T?> QueryFirstAsync<T>(
        this SqlDatabase database, string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql));
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? map(reader) : null;
            },
            cancellationToken);
}
