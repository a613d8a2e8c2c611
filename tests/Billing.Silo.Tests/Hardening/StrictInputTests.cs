using System.Net;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;

namespace Billing.Silo.Tests.Hardening;

/// <summary>Bad input through HTTP is a clear 4xx naming what is wrong, never a 500 (issue 13).</summary>
public sealed class StrictInputTests
{
    [Fact]
    public async Task NullEventInABatchIs400NamingItsIndexAndConsumesNothing()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100);
        using var client = MeteringApiTests.Client(silo, key);

        var problem = await silo.PostRawAsync(client, "/api/v1/usage/batch", """{"events":[{"tokens":1},null,{"tokens":2},null]}""", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Equal(["events[1]", "events[3]"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal("events[1] must be an event object, not null", problem.GetProperty("errors").GetProperty("events[1]")[0].GetString());
        Assert.Equal(100, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64());
    }

    internal static string? Code(JsonElement problem) => problem.GetProperty("code").GetString();
}
