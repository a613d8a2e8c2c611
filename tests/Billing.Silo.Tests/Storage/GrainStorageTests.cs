using Billing.Silo.Storage.GrainState;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace Billing.Silo.Tests.Storage;

/// <summary>The SQLite adapter over a fresh file migrated by the silo's orleans scripts.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContract, IAsyncLifetime
{
    private readonly TestDatabase file = TestDatabase.CreateSqlite();
    private SqlDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = file.Open();
        var applied = await GrainStorageMigration.ApplyAsync(database);
        Assert.Equal(["0001_orleans_reminders.sql", "0002_orleans_grain_state.sql"], applied);
    }

    public async Task DisposeAsync() => await file.DisposeAsync();

    protected override Task<IGrainStorage> StorageAsync(string serviceId) =>
        Task.FromResult<IGrainStorage>(new SqliteGrainStorage(database, Serializer, Activators, TimeProvider.System, Cluster(serviceId)));
}

/// <summary>Orleans' ADO.NET provider (invariant Npgsql) over a fresh database migrated by the silo's orleans scripts.</summary>
public sealed class PostgresGrainStorageTests : GrainStorageContract, IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreatePostgresAsync();
        var applied = await GrainStorageMigration.ApplyAsync(database.Open());
        Assert.Equal(["0001_orleans.sql"], applied);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    /// <summary>Started as a silo starts it: the provider reads its queries from OrleansQuery then.</summary>
    protected override async Task<IGrainStorage> StorageAsync(string serviceId)
    {
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = "Npgsql",
            ConnectionString = database.ConnectionString,
            GrainStorageSerializer = Serializer,
        };
        var storage = new AdoNetGrainStorage(Activators, NullLogger<AdoNetGrainStorage>.Instance, Options.Create(options), Cluster(serviceId), "billing");
        var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
        storage.Participate(lifecycle);
        await lifecycle.OnStart(CancellationToken.None);
        return storage;
    }
}

internal static class GrainStorageMigration
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(SqlDatabase database)
    {
        var source = new EmbeddedMigrationSource(typeof(SqliteGrainStorage).Assembly, "orleans", "Migrations.Orleans");
        var applied = await new SchemaMigrator(database, [source], TimeProvider.System).MigrateAsync(CancellationToken.None);
        return [.. applied.Select(s => s.Name)];
    }
}
