namespace Billing.Cli.Simulate;

internal enum ChangeKind
{
    Upgrade,
    Downgrade,
    Cancellation,
}

/// <summary>A simulated customer: its plan (an index into <see cref="LifecycleRules.Tiers"/>), its screens, and whether its card declines.</summary>
internal sealed record PlannedCustomer(int Index, int Tier, int Screens, bool PastDue);

/// <summary>A change made in month <see cref="Month"/> (1..months): the customer's terms after it (screens 0: cancelled).</summary>
internal sealed record PlannedChange(int Month, int Customer, ChangeKind Kind, int Tier, int Screens);

internal sealed record LifecyclePlan(int Seed, int Months, IReadOnlyList<PlannedCustomer> Customers, IReadOnlyList<PlannedChange> Changes)
{
    public int Count(ChangeKind kind) => Changes.Count(c => c.Kind == kind);
}

/// <summary>
/// Seed 003's plan of a lifecycle, drawn from <see cref="Random"/> with the seed, so a seed always gives the same
/// customers and changes: customers spread over the plans by their shares with screens in each plan's range; upgrades,
/// downgrades and cancellations scaled from seed 003's 15/2/8 per 100, each on its own customer, chosen with weights
/// towards Free and Standard, and dealt round the months so every month has its share; a few paying customers without
/// changes get the card that declines.
/// </summary>
internal static class LifecyclePlanner
{
    public static LifecyclePlan Plan(int seed, int customers, int months)
    {
        if (customers is < LifecycleRules.MinCustomers or > LifecycleRules.MaxCustomers || months is < 1 or > LifecycleRules.MaxMonths)
        {
            throw new ArgumentOutOfRangeException(nameof(customers), $"{customers} customers over {months} months is out of the simulator's range.");
        }

        var random = new Random(seed);
        var tiers = LifecycleRules.CustomersPerTier(customers).SelectMany((count, tier) => Enumerable.Repeat(tier, count)).ToArray();
        random.Shuffle(tiers);
        var planned = tiers.Select((tier, i) => new PlannedCustomer(i, tier, random.Next(LifecycleRules.Tiers[tier].MinScreens, LifecycleRules.Tiers[tier].MaxScreens + 1), PastDue: false)).ToList();

        var free = new HashSet<int>(Enumerable.Range(0, customers));
        var changes = new List<PlannedChange>();
        foreach (var index in Pick(random, planned, free, LifecycleRules.Scaled(LifecycleRules.CancellationsPer100, customers), _ => true))
        {
            changes.Add(new PlannedChange(0, index, ChangeKind.Cancellation, planned[index].Tier, 0));
        }

        foreach (var index in Pick(random, planned, free, LifecycleRules.Scaled(LifecycleRules.DowngradesPer100, customers), c => c.Tier >= 2))
        {
            changes.Add(new PlannedChange(0, index, ChangeKind.Downgrade, planned[index].Tier - 1, planned[index].Screens));
        }

        foreach (var index in Pick(random, planned, free, LifecycleRules.Scaled(LifecycleRules.UpgradesPer100, customers), _ => true))
        {
            changes.Add(Upgrade(random, planned[index]));
        }

        foreach (var index in Pick(random, planned, free, LifecycleRules.Scaled(LifecycleRules.PastDuePer100, customers), c => c.Tier >= 1, weighted: false))
        {
            planned[index] = planned[index] with { PastDue = true };
        }

        // Dealt round the months in a shuffled order: gradual, and every month gets its share.
        var dealt = changes.ToArray();
        random.Shuffle(dealt);
        var spread = dealt.Select((change, i) => change with { Month = (i % months) + 1 }).OrderBy(c => c.Month).ThenBy(c => c.Customer).ToList();
        return new LifecyclePlan(seed, months, planned, spread);
    }

    /// <summary>A plan one tier up (Free always moves to Standard: more free screens would cost nothing) or more screens (Enterprise always).</summary>
    private static PlannedChange Upgrade(Random random, PlannedCustomer customer)
    {
        var top = LifecycleRules.Tiers.Count - 1;
        var morePlan = customer.Tier == 0 || (customer.Tier < top && random.Next(2) == 0);
        return morePlan
            ? new PlannedChange(0, customer.Index, ChangeKind.Upgrade, customer.Tier + 1, customer.Screens)
            : new PlannedChange(0, customer.Index, ChangeKind.Upgrade, customer.Tier, customer.Screens + random.Next(1, Math.Max(1, customer.Screens / 2) + 1));
    }

    /// <summary>Up to <paramref name="count"/> customers still without a change, drawn without replacement, by plan weight unless not <paramref name="weighted"/>.</summary>
    private static List<int> Pick(Random random, List<PlannedCustomer> customers, HashSet<int> free, int count, Func<PlannedCustomer, bool> eligible, bool weighted = true)
    {
        var picked = new List<int>(count);
        for (var n = 0; n < count; n++)
        {
            var candidates = customers.Where(c => free.Contains(c.Index) && eligible(c)).ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            var weights = candidates.Select(c => weighted ? LifecycleRules.Tiers[c.Tier].ChangeWeight : 1).ToList();
            var draw = random.Next(weights.Sum());
            var at = 0;
            while (draw >= weights[at])
            {
                draw -= weights[at++];
            }

            picked.Add(candidates[at].Index);
            free.Remove(candidates[at].Index);
        }

        return picked;
    }
}
