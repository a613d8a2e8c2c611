using Billing.Silo.Storage.Sql;
using Billing.Silo.Metering;

namespace Billing.Silo.Tests.Metering;

/// <summary>What the usage journal actually stored, read straight from the table.</summary>
internal static class StoredUsage
{
    public static Task<HashSet<Guid>> IdsAsync(SqlDatabase database) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT usage_id FROM usage_events");
                await using var reader = await command.ExecuteReaderAsync(ct);
                var ids = new HashSet<Guid>();
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(MeteringStore.ReadGuid(reader, 0));
                }

                return ids;
            },
            CancellationToken.None);
}
