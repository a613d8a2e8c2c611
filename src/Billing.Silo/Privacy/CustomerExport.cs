using System.Data.Common;
using System.Text.Json;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Privacy;

/// <summary>
/// Everything stored about one customer as one JSON document (GDPR art. 15 and 20): a section per
/// table (<see cref="CustomerRows.Tables"/>) with every row as column → value, JSON columns as JSON,
/// secrets left out. Read in one snapshot, so the sections agree, and streamed row by row, so a
/// customer with millions of usage events costs no more memory than one with ten.
/// </summary>
public sealed class CustomerExport(SqlDatabase database, TimeProvider time)
{
    private const int FlushEveryRows = 500;

    public Task WriteAsync(string customerId, Stream output, CancellationToken cancellationToken) =>
        database.ReadSnapshotAsync(
            async (connection, transaction, ct) =>
            {
                await using var json = new Utf8JsonWriter(output);
                json.WriteStartObject();
                json.WriteString("customer_id", customerId);
                json.WriteString("exported_at", time.GetUtcNow());
                json.WriteString("format", "billing-orleans.customer-export.v1");
                json.WriteStartObject("tables");
                foreach (var (table, condition) in CustomerRows.Tables)
                {
                    json.WriteStartArray(table);
                    await WriteRowsAsync(json, connection, transaction, $"SELECT * FROM {table} WHERE {condition}", customerId, ct);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteEndObject();
                await json.FlushAsync(ct);
                return 0;
            },
            cancellationToken);

    private static async Task WriteRowsAsync(
        Utf8JsonWriter json, DbConnection connection, DbTransaction transaction, string sql, string customerId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql, transaction).With("customer_id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var rows = 1; await reader.ReadAsync(cancellationToken); rows++)
        {
            json.WriteStartObject();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (!CustomerRows.SecretColumns.Contains(name))
                {
                    json.WritePropertyName(name);
                    WriteValue(json, name, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }
            }

            json.WriteEndObject();
            if (rows % FlushEveryRows == 0)
            {
                await json.FlushAsync(cancellationToken);
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string column, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text when column.EndsWith("_json", StringComparison.Ordinal):
                json.WriteRawValue(text);
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case long or int or short or byte:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case decimal or double or float:
                json.WriteNumberValue(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case Guid id:
                json.WriteStringValue(id);
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
