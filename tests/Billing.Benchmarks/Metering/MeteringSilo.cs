using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Catalog;
using Billing.Silo.Hosting;
using Billing.Silo.Metering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Billing.Benchmarks.Metering;

/// <summary>The real silo, started in this process on a throwaway PostgreSQL database, with customers that hold tokens.</summary>
public sealed class MeteringSilo : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TestDatabase database;

    private MeteringSilo(WebApplication app, TestDatabase database, IReadOnlyList<(string CustomerId, string ShopId)> customers, IReadOnlyList<(string CustomerId, string ShopId)> baselineCustomers)
    {
        this.app = app;
        this.database = database;
        Customers = customers;
        BaselineCustomers = baselineCustomers;
    }

    /// <summary>Customers metered through their grains.</summary>
    public IReadOnlyList<(string CustomerId, string ShopId)> Customers { get; }

    /// <summary>Customers only the per-request baseline writes to: one writer per ledger, as in production.</summary>
    public IReadOnlyList<(string CustomerId, string ShopId)> BaselineCustomers { get; }

    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    public Billing.Silo.Metering.Journal.UsageJournal Journal => app.Services.GetRequiredService<Billing.Silo.Metering.Journal.UsageJournal>();

    public PostgresDatabase Postgres => (PostgresDatabase)app.Services.GetRequiredService<SqlDatabase>();

    /// <param name="journalStore">Replaces the journal's PostgreSQL store (the ceiling run); null keeps it.</param>
    public static async Task<MeteringSilo> StartAsync(int customers, long tokensEach, Billing.Silo.Metering.Journal.IUsageJournalStore? journalStore = null)
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Billing:Storage"] = database.Storage,
            ["Billing:Cluster:AdvertisedAddress"] = "127.0.0.1", // benchmarks stay on loopback
            ["ConnectionStrings:Billing"] = database.ConnectionString + ";Maximum Pool Size=64",
            ["Billing:AdminKey"] = "benchmark-admin-key-0123456789-abcdefghij",
        });
        // A rule without a category outranks appsettings.json's "Default" (SetMinimumLevel does not).
        builder.Logging.AddFilter((string?)null, LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddBillingSilo();
        if (journalStore is not null)
        {
            builder.Services.AddSingleton(journalStore);
        }

        var app = builder.Build();
        await app.StartAsync();
        var created = await CreateCustomersAsync(app.Services, customers, tokensEach);
        var baseline = await CreateCustomersAsync(app.Services, customers, tokensEach);

        // The per-request baseline updates the snapshot rows directly: make sure they exist.
        await app.Services.GetRequiredService<Billing.Silo.Metering.Journal.UsageJournal>().FlushBalancesAsync(CancellationToken.None);
        return new MeteringSilo(app, database, created, baseline);
    }

    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    private static async Task<List<(string, string)>> CreateCustomersAsync(IServiceProvider services, int count, long tokensEach)
    {
        var catalog = services.GetRequiredService<CatalogStore>();
        var grains = services.GetRequiredService<IGrainFactory>();
        var plan = new PlanGrant("plan_bench", new TokenAmount(tokensEach), Duration.FromDays(365), new Money(10m, Currency.EUR));
        var created = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var customer = new CustomerProfile(CatalogIds.New(CatalogIds.Customer), $"bench {i}", $"bench{i}@example.com", Currency.EUR, "Europe/Amsterdam", 0.21m);
            var shop = new Shop(CatalogIds.New(CatalogIds.Shop), customer.Id, $"shop {i}");
            await catalog.CreateCustomerAsync(customer, CancellationToken.None);
            await catalog.CreateShopAsync(shop, CancellationToken.None);
            await grains.GetGrain<ISubscriptionGrain>(customer.Id).GrantAsync(plan);
            created.Add((customer.Id, shop.Id));
        }

        return created;
    }
}
