using System.Net;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;

namespace Billing.Silo.Tests.TestClocks;

/// <summary>Test clocks and the customers on them, through the real admin API.</summary>
internal static class TestClockScenario
{
    public static async Task<string> ClockAsync(CatalogSilo silo, DateTimeOffset frozenTime, string name = "Simulation") =>
        (await silo.PostAsync("/api/v1/admin/test-clocks", new { frozen_time = frozenTime, name })).GetProperty("id").GetString()!;

    /// <summary>A dollar customer in New York on <paramref name="clockId"/> (null: real time), with one shop on <paramref name="seats"/> seats of the plan, and its key.</summary>
    public static async Task<(string CustomerId, string ShopId, string Key)> CustomerAsync(CatalogSilo silo, string? clockId, string planId, int seats, string name = "Screens Inc")
    {
        object body = clockId is null
            ? new { name, email = "billing@screens.example", currency = "USD", time_zone = PlanScenario.Zone }
            : new { name, email = "billing@screens.example", currency = "USD", time_zone = PlanScenario.Zone, test_clock = clockId };
        var customerId = (await silo.PostAsync("/api/v1/admin/customers", body)).GetProperty("id").GetString()!;
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = $"{name} lobby" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = planId, seats });
        return (customerId, shopId, key);
    }

    /// <summary>Seed 003's Standard plan ($10 a seat), and a customer on 3 seats of it on a new clock frozen at <paramref name="frozenTime"/>.</summary>
    public static async Task<(string PlanId, string ClockId, (string CustomerId, string ShopId, string Key) Customer)> StandardOnClockAsync(CatalogSilo silo, DateTimeOffset frozenTime)
    {
        var standard = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10.00m);
        var clockId = await ClockAsync(silo, frozenTime);
        return (standard, clockId, await CustomerAsync(silo, clockId, standard, seats: 3));
    }

    /// <summary>Asks for the advance (202, <c>advancing</c>) and waits until the clock is ready again.</summary>
    public static async Task<JsonElement> AdvanceAsync(CatalogSilo silo, string clockId, DateTimeOffset to)
    {
        var accepted = await silo.PostAsync($"/api/v1/admin/test-clocks/{clockId}/advance", new { to }, HttpStatusCode.Accepted);
        Assert.Equal("advancing", accepted.GetProperty("status").GetString());
        return await ReadyAsync(silo, clockId);
    }

    public static async Task<JsonElement> ReadyAsync(CatalogSilo silo, string clockId)
    {
        var clock = default(JsonElement);
        await Eventually.TrueAsync(
            async () =>
            {
                clock = await silo.GetAsync(silo.Admin, $"/api/v1/admin/test-clocks/{clockId}");
                return clock.GetProperty("status").GetString() == "ready";
            },
            "the test clock is ready",
            timeoutMs: 60_000);
        return clock;
    }

    public static Task<JsonElement> DeleteAsync(CatalogSilo silo, string clockId, HttpStatusCode expected = HttpStatusCode.OK) =>
        SendAsync(silo, HttpMethod.Delete, $"/api/v1/admin/test-clocks/{clockId}", expected);

    private static async Task<JsonElement> SendAsync(CatalogSilo silo, HttpMethod method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await silo.Admin.SendAsync(request);
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
