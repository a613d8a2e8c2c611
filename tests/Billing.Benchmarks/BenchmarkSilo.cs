using Billing.Silo;
using Billing.Silo.Api.Docs;
using Billing.Silo.Hosting;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Benchmarks;

/// <summary>The real silo in process on a benchmark's database and clock, on loopback, logging warnings only.</summary>
internal static class BenchmarkSilo
{
    /// <param name="withEndpoints">Whether the app serves its HTTP API and pages too, as Program.cs maps them.</param>
    public static async Task<WebApplication> StartAsync(
        TestDatabase database, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null, bool withEndpoints = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Billing:Storage"] = database.Storage,
            ["ConnectionStrings:Billing"] = database.ConnectionString + ";Maximum Pool Size=64",
            ["Billing:AdminKey"] = "benchmark-admin-key-0123456789-abcdefghij",
        });
        builder.Configuration.AddInMemoryCollection(FreePorts.SiloSettings("benchmark")!);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // A rule without a category, added after appsettings.json's "Default": "Information" (which
        // SetMinimumLevel alone does not override): a benchmark measures work, not console output.
        builder.Logging.AddFilter((string?)null, LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddBillingSilo();
        builder.Services.AddSingleton(clock);
        if (withEndpoints)
        {
            builder.Services.AddApiDocs();
        }

        var app = builder.Build();
        if (withEndpoints)
        {
            app.UseBillingPipeline();
        }

        await app.StartAsync();
        return app;
    }
}

/// <summary>What the benchmarks read back from their database.</summary>
internal static class BenchmarkSql
{
    /// <summary>Bulk-load statements in order, on one connection, each allowed 10 minutes.</summary>
    public static Task ExecuteAllAsync(this SqlDatabase database, IEnumerable<string> statements) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                foreach (var statement in statements)
                {
                    await using var command = connection.CreateCommand(statement);
                    command.CommandTimeout = 600;
                    await command.ExecuteNonQueryAsync(ct);
                }

                return 0;
            },
            CancellationToken.None);

    /// <summary>One number from one query (a count, a maximum); 0 for no row or NULL.</summary>
    public static async Task<long> ScalarAsync(this SqlDatabase database, string sql) =>
        await database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            CancellationToken.None);
}

/// <summary>Real time shifted by a fixed amount: timers run at real speed, "now" is wherever the benchmark needs it.</summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset startAt) : TimeProvider
{
    private readonly TimeSpan shift = startAt - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
