using System.Data.Common;
using Billing.Silo.Privacy;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.TestClocks;

/// <summary>What deleting a clock removed: its customers, and the prefixes of their API keys (for the key cache).</summary>
[GenerateSerializer, Immutable, Alias("billing.TestClockDeleted")]
public sealed record TestClockDeleted([property: Id(0)] int Customers, [property: Id(1)] IReadOnlyList<string> KeyPrefixes);

public sealed partial class TestClockStore
{
    // Every table holding a customer's rows (the export's list), children first so no reference
    // dangles; plus the rows only the ledger and the books keep. The audit log stays: it is
    // append-only, and says who created and deleted the clock's customers.
    private static readonly IReadOnlyList<(string Table, string Condition)> DeletionOrder =
    [
        ("ledger_heads", "customer_id = @customer_id"),
        ("bank_transfer_totals", CustomerRows.OfInvoices),
        ("billing_dead_letters", CustomerRows.OfShops),
        .. CustomerRows.Tables.Where(t => t.Table != "audit_log").Reverse(),
    ];

    /// <summary>
    /// Removes the clock, its customers and all their data in one transaction; null when there is no
    /// such clock or it is advancing (checked in the same transaction).
    /// </summary>
    public Task<TestClockDeleted?> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var claim = connection.CreateCommand("UPDATE test_clocks SET name = name WHERE id = @id AND status = 'ready'", transaction).With("id", id);
                if (await claim.ExecuteNonQueryAsync(ct) != 1)
                {
                    return null;
                }

                var customers = await ListAsync(connection, transaction, "SELECT id FROM customers WHERE test_clock_id = @id ORDER BY id", id, ct);
                var prefixes = await ListAsync(
                    connection, transaction,
                    "SELECT k.prefix FROM api_keys k JOIN shops s ON s.id = k.shop_id JOIN customers c ON c.id = s.customer_id WHERE c.test_clock_id = @id", id, ct);
                foreach (var customerId in customers)
                {
                    foreach (var (table, condition) in DeletionOrder)
                    {
                        await using var delete = connection.CreateCommand($"DELETE FROM {table} WHERE {condition}", transaction).With("customer_id", customerId);
                        await delete.ExecuteNonQueryAsync(ct);
                    }
                }

                await using var clock = connection.CreateCommand("DELETE FROM test_clocks WHERE id = @id", transaction).With("id", id);
                await clock.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
                return new TestClockDeleted(customers.Count, prefixes);
            },
            cancellationToken);

    private static async Task<IReadOnlyList<string>> ListAsync(DbConnection connection, DbTransaction transaction, string sql, string id, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(sql, transaction).With("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(reader.GetString(0));
        }

        return items;
    }
}
