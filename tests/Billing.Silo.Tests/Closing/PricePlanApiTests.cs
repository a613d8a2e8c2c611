using System.Net;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>The admin price-plan API: create (201 or 400 naming every field), read (404 for an unknown id) and list in pages.</summary>
public sealed class PricePlanApiTests
{
    private const string PricePlans = "/api/v1/admin/price-plans";

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CreatedPlanIsAnswered201AndReadBackWithExactCharges(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var created = await silo.PostAsync(PricePlans, new
        {
            name = "  Pro Plus ",
            currency = "USD",
            charges = new object[]
            {
                new { type = "per_seat", service = "Screens", price_per_seat = 15 },
                new { type = "flat", service = "Support", amount = 5.5 },
                new { type = "tiered", service = "API calls", metric = "requests", mode = "graduated", tiers = new object[] { new { up_to = 1000, unit_price = 0 }, new { unit_price = 0.002 } } },
            },
        });
        var id = created.GetProperty("id").GetString()!;
        var read = await silo.GetAsync(silo.Admin, $"{PricePlans}/{id}");

        Assert.Matches("^price_[0-9A-Za-z]{20}$", id);
        var expected = $$"""
            {"id":"{{id}}","name":"Pro Plus","currency":"USD","charges":[{"type":"per_seat","service":"Screens","price_per_seat":15.00},{"type":"flat","service":"Support","amount":5.50},{"type":"tiered","service":"API calls","metric":"requests","mode":"graduated","tiers":[{"up_to":1000,"unit_price":0},{"unit_price":0.002}]}]}
            """;
        Assert.Equal(expected, created.GetRawText());
        Assert.Equal(expected, read.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InvalidPlanIs400InvalidPricePlanNamingEveryFieldAndStoresNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostAsync(
            PricePlans,
            new { name = "", currency = "USD", charges = new object[] { new { type = "per_seat", service = "Screens", price_per_seat = -1, amount = 5 }, new { type = "hourly", service = "Time" } } },
            HttpStatusCode.BadRequest);
        var noCharges = await silo.PostAsync(PricePlans, new { name = "Empty", currency = "USD" }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_price_plan", problem.GetProperty("code").GetString());
        Assert.Equal(
            """{"name":["name is required"],"charges[0].amount":["charges[0].amount does not apply to a per_seat charge"],"charges[0].price_per_seat":["charges[0].price_per_seat must be between 0 and 1000000000"],"charges[1].type":["charges[1].type 'hourly' is not one of flat, per_unit, per_seat, tiered, package, revenue_share"]}""",
            problem.GetProperty("errors").GetRawText());
        Assert.Equal("""{"charges":["charges is required"]}""", noCharges.GetProperty("errors").GetRawText());
        Assert.Equal("""{"price_plans":[],"next_after":null}""", (await silo.GetAsync(silo.Admin, PricePlans)).GetRawText());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UnknownOrMalformedIdIs404PricePlanNotFound(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var unknown = await silo.GetAsync(silo.Admin, $"{PricePlans}/price_00000000000000000000", HttpStatusCode.NotFound);
        var malformed = await silo.GetAsync(silo.Admin, $"{PricePlans}/plan_1", HttpStatusCode.NotFound);

        Assert.Equal(("price_plan_not_found", "price_plan_not_found"), (unknown.GetProperty("code").GetString(), malformed.GetProperty("code").GetString()));
        Assert.Equal("There is no price plan with id 'price_00000000000000000000'.", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListPagesInCreationOrderAndRefusesABadLimit()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var ids = new List<string>();
        foreach (var (name, price) in new[] { ("Free", 0m), ("Standard", 10m), ("Pro Plus", 15m) })
        {
            ids.Add(await PlanScenario.PerSeatPlanAsync(silo, name, price));
            silo.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await silo.GetAsync(silo.Admin, $"{PricePlans}?limit=2");
        var second = await silo.GetAsync(silo.Admin, $"{PricePlans}?limit=2&after={first.GetProperty("next_after").GetString()}");
        var badLimit = await silo.GetAsync(silo.Admin, $"{PricePlans}?limit=501", HttpStatusCode.BadRequest);
        using var anonymous = silo.CreateClient();
        var unauthorized = await silo.GetAsync(anonymous, PricePlans, HttpStatusCode.Unauthorized);

        Assert.Equal(ids[..2], first.GetProperty("price_plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        Assert.Equal(ids[1], first.GetProperty("next_after").GetString());
        Assert.Equal([ids[2]], second.GetProperty("price_plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next_after").ValueKind);
        Assert.Equal(("invalid_query", "limit must be a whole number from 1 to 500."), (badLimit.GetProperty("code").GetString(), badLimit.GetProperty("detail").GetString()));
        Assert.Equal("unauthorized", unauthorized.GetProperty("code").GetString());
    }
}
