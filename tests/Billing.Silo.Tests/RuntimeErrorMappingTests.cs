using System.Net;
using System.Text.Json;
using Billing.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests;

public sealed class RuntimeErrorMappingTests
{
    [Theory]
    [InlineData("silo", HttpStatusCode.ServiceUnavailable, "silo_unavailable")]
    [InlineData("gateway", HttpStatusCode.ServiceUnavailable, "silo_unavailable")]
    [InlineData("overloaded", HttpStatusCode.ServiceUnavailable, "overloaded")]
    [InlineData("timeout", HttpStatusCode.GatewayTimeout, "timeout")]
    [InlineData("journal", HttpStatusCode.ServiceUnavailable, "journal_unavailable")]
    [InlineData("journal-database-down", HttpStatusCode.ServiceUnavailable, "storage_unavailable")]
    [InlineData("database", HttpStatusCode.ServiceUnavailable, "storage_unavailable")]
    [InlineData("database-in-a-grain", HttpStatusCode.ServiceUnavailable, "storage_unavailable")]
    public async Task RuntimeFailuresBecomeProblemDetailsNotServerErrors(string failure, HttpStatusCode expectedStatus, string expectedCode)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var factory = new SiloFactory(database).WithWebHostBuilder(b =>
            b.ConfigureServices(s => s.AddTransient<IStartupFilter, ThrowingEndpointFilter>()));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/test/throw/{failure}", UriKind.Relative));

        Assert.Equal(expectedStatus, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedCode, body.RootElement.GetProperty("code").GetString());
        Assert.Equal(expectedStatus == HttpStatusCode.ServiceUnavailable, response.Headers.RetryAfter is not null);
    }

    /// <summary>Adds, after the app's own pipeline, a middleware that throws the runtime exception the path names.</summary>
    private sealed class ThrowingEndpointFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => throw (context.Request.Path.Value switch
            {
                "/test/throw/silo" => new Orleans.Runtime.SiloUnavailableException("stopping"),
                "/test/throw/gateway" => new Orleans.Runtime.Messaging.ConnectionFailedException("connection to the gateway refused"),
                "/test/throw/overloaded" => new Orleans.Runtime.GatewayTooBusyException(),
                "/test/throw/timeout" => (Exception)new TimeoutException("Response did not arrive on time in 00:00:30 for message: CloseAsync"),
                "/test/throw/journal" => new Billing.Silo.Metering.Journal.JournalWriteException("batch lost"),
                "/test/throw/journal-database-down" => new Billing.Silo.Metering.Journal.JournalWriteException("batch lost: connection refused", databaseUnavailable: true),
                "/test/throw/database" => new Npgsql.NpgsqlException("connection refused"),
                "/test/throw/database-in-a-grain" => new Billing.Silo.Storage.Sql.StorageFailedException("too many connections", "53300"),
                _ => new InvalidOperationException("unexpected path"),
            }));
        };
    }

    [Fact]
    public async Task ADatabaseFailureInAGrainReachesItsCallerAsAnExceptionThatCrossesSilos()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = new SiloFactory(database);
        var serializer = silo.Services.GetRequiredService<Orleans.Serialization.Serializer>();

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new Billing.Silo.Storage.Sql.StorageFailedException("too many connections", "53300")));

        var failed = Assert.IsType<Billing.Silo.Storage.Sql.StorageFailedException>(copy);
        Assert.Equal(("too many connections", "53300"), (failed.Message, failed.SqlState));
        var lost = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new Billing.Silo.Metering.Journal.JournalWriteException("batch lost", databaseUnavailable: true)));
        Assert.True(Assert.IsType<Billing.Silo.Metering.Journal.JournalWriteException>(lost).DatabaseUnavailable);
    }
}
