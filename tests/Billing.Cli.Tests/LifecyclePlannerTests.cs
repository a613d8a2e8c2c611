using Billing.Cli.Simulate;

namespace Billing.Cli.Tests;

/// <summary>Seed 003's plan of a lifecycle for <c>billing simulate lifecycle</c>, without a silo: its counts, spread and determinism.</summary>
public sealed class LifecyclePlannerTests
{
    [Fact]
    public void AHundredCustomersOverSixMonthsAreSpreadAsSeed003SaysWith15Upgrades2DowngradesAnd8Cancellations()
    {
        var plan = LifecyclePlanner.Plan(seed: 3, customers: 100, months: 6);

        Assert.Equal([25, 18, 32, 15, 10], Enumerable.Range(0, 5).Select(tier => plan.Customers.Count(c => c.Tier == tier)));
        Assert.All(plan.Customers, c => Assert.InRange(c.Screens, LifecycleRules.Tiers[c.Tier].MinScreens, LifecycleRules.Tiers[c.Tier].MaxScreens));
        Assert.Equal((15, 2, 8), (plan.Count(ChangeKind.Upgrade), plan.Count(ChangeKind.Downgrade), plan.Count(ChangeKind.Cancellation)));
        Assert.Equal(25, plan.Changes.Select(c => c.Customer).Distinct().Count());
        // Dealt round the months: 25 changes over 6 months are 5, 4, 4, 4, 4, 4.
        Assert.Equal([5, 4, 4, 4, 4, 4], Enumerable.Range(1, 6).Select(month => plan.Changes.Count(c => c.Month == month)));
        Assert.Equal(5, plan.Customers.Count(c => c.PastDue));
        Assert.All(plan.Customers.Where(c => c.PastDue), c => Assert.True(c.Tier >= 1 && plan.Changes.All(change => change.Customer != c.Index)));
    }

    [Fact]
    public void EachChangeMovesItsCustomerTheWayItsKindSays()
    {
        var plan = LifecyclePlanner.Plan(seed: 3, customers: 100, months: 6);

        foreach (var change in plan.Changes)
        {
            var before = plan.Customers[change.Customer];
            var price = (int tier, int screens) => LifecycleRules.Tiers[tier].PricePerScreen * screens;
            switch (change.Kind)
            {
                case ChangeKind.Upgrade:
                    Assert.True(change.Tier == before.Tier + 1 && change.Screens == before.Screens || change.Tier == before.Tier && change.Screens > before.Screens);
                    Assert.True(price(change.Tier, change.Screens) > price(before.Tier, before.Screens), "an upgrade costs more, so it takes effect at once");
                    break;
                case ChangeKind.Downgrade:
                    Assert.Equal((before.Tier - 1, before.Screens), (change.Tier, change.Screens));
                    Assert.True(before.Tier >= 2, "a downgrade leaves a paying plan for a cheaper paying plan");
                    break;
                default:
                    Assert.Equal((before.Tier, 0), (change.Tier, change.Screens));
                    break;
            }
        }
    }

    [Fact]
    public void CancellationsAndUpgradesFallMostlyOnFreeAndStandard()
    {
        var plans = Enumerable.Range(0, 50).Select(seed => LifecyclePlanner.Plan(seed, 100, 6)).ToList();

        foreach (var kind in new[] { ChangeKind.Cancellation, ChangeKind.Upgrade })
        {
            var changes = plans.SelectMany(p => p.Changes.Where(c => c.Kind == kind).Select(c => p.Customers[c.Customer].Tier)).ToList();
            // 43 of 100 customers are on Free or Standard; weighted 4:1 they draw about three changes in four.
            Assert.InRange(changes.Count(tier => tier <= 1) / (decimal)changes.Count, 0.6m, 0.9m);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSamePlanAndAnotherSeedAnother()
    {
        var first = LifecyclePlanner.Plan(42, 100, 6);
        var again = LifecyclePlanner.Plan(42, 100, 6);
        var other = LifecyclePlanner.Plan(43, 100, 6);

        Assert.Equal(first.Customers, again.Customers);
        Assert.Equal(first.Changes, again.Changes);
        Assert.NotEqual(first.Customers, other.Customers);
    }

    [Fact]
    public void TwentyCustomersOverThreeMonthsScaleTheSharesAndTheChanges()
    {
        var plan = LifecyclePlanner.Plan(seed: 3, customers: 20, months: 3);

        Assert.Equal([5, 4, 6, 3, 2], Enumerable.Range(0, 5).Select(tier => plan.Customers.Count(c => c.Tier == tier)));
        Assert.Equal((3, 1, 2), (plan.Count(ChangeKind.Upgrade), plan.Count(ChangeKind.Downgrade), plan.Count(ChangeKind.Cancellation)));
        Assert.Equal([2, 2, 2], Enumerable.Range(1, 3).Select(month => plan.Changes.Count(c => c.Month == month)));
        Assert.Equal(1, plan.Customers.Count(c => c.PastDue));
    }

    [Theory]
    [InlineData("2026-12-07T18:52:00Z", "2026-06-07T12:00:00Z", "2026-12-07T12:00:00Z")]
    [InlineData("2026-12-07T09:00:00Z", "2026-06-06T12:00:00Z", "2026-12-06T12:00:00Z")]
    [InlineData("2026-12-31T13:00:00Z", "2026-06-28T12:00:00Z", "2026-12-28T12:00:00Z")]
    public void TheClocksStartSixMonthsBeforeTheLastNoonOnADayEveryMonthHas(string now, string start, string last)
    {
        var instants = LifecycleRules.Instants(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), 6);

        Assert.Equal(7, instants.Count);
        Assert.Equal((DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture)), (instants[0], instants[^1]));
        Assert.All(instants.Skip(1).Zip(instants), pair => Assert.Equal(pair.Second.AddMonths(1), pair.First));
    }

    [Fact]
    public async Task TooFewCustomersTooManyMonthsOrASnapshotFileWithNoFolderAreUsageErrorsBeforeAnythingIsSent()
    {
        var few = await CliRunner.RunAsync("simulate", "lifecycle", "--customers", "5", "--admin-key", "k");
        var long_ = await CliRunner.RunAsync("simulate", "lifecycle", "--months", "25", "--admin-key", "k");
        var keyless = await CliRunner.RunAsync("simulate", "lifecycle");
        var nowhere = await CliRunner.RunAsync("simulate", "lifecycle", "--snapshots", "/nonexistent-folder/snapshots.json", "--admin-key", "k");

        CliAssert.UsageError(few, "--customers must be a whole number from 10 to 1000, got '5'.");
        CliAssert.UsageError(long_, "--months must be a whole number from 1 to 24, got '25'.");
        CliAssert.UsageError(keyless, "simulate lifecycle needs the silo's admin key");
        CliAssert.UsageError(nowhere, "--snapshots /nonexistent-folder/snapshots.json: its folder does not exist.");
    }
}
