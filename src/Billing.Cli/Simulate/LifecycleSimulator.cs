using System.Globalization;
using System.Text.Json;
using Billing.Cli.Generate;
using Billing.Contracts.Catalog;
using Spectre.Console;

namespace Billing.Cli.Simulate;

/// <summary>A simulated customer as the silo knows it: its ids, its shop's key and its test clock.</summary>
internal sealed record SimulatedCustomer(PlannedCustomer Planned, string CustomerId, string ShopId, string Key, string ClockId);

/// <summary>
/// <c>billing simulate lifecycle</c> through the silo's real API: seed 003's five per-screen price plans, test clocks
/// frozen at the first instant, a customer with one shop on its plan and a saved card per customer, then month by month
/// the clocks advanced (closing, invoicing and collecting the month on clock time), the month's changes made and every
/// subscription read back into a snapshot; the MRR of the snapshots is then checked against the analytics API's.
/// </summary>
internal sealed class LifecycleSimulator(GeneratorApi api, IAnsiConsole console, TextWriter stdout, TextWriter stderr)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls of one clock's advance: 10 minutes at <see cref="PollInterval"/>.</summary>
    private const int MaxPolls = 6_000;

    /// <summary>Runs the plan at <paramref name="instants"/> (the start, then one instant per month); exit code.</summary>
    public async Task<int> RunAsync(LifecyclePlan plan, IReadOnlyList<DateTimeOffset> instants, string? snapshotsPath, CancellationToken cancellationToken)
    {
        var planIds = await PricePlansAsync(plan.Seed, cancellationToken);
        var customers = await CustomersAsync(plan, instants[0], planIds, cancellationToken);
        var snapshots = new LifecycleSnapshots(api, planIds);
        // No snapshot at the start: a first plan that costs nothing (Free) is a downgrade from the default per-request
        // terms, so it takes effect when the first period closes, as a month on the clocks has passed.
        var taken = new List<MonthSnapshot>(plan.Months);
        for (var month = 1; month <= plan.Months; month++)
        {
            var changes = plan.Changes.Where(c => c.Month == month).ToList();
            var at = instants[month];
            await ReportConsole.RunWithProgressAsync(console, stdout, $"Month {month} of {plan.Months}: to {at:yyyy-MM-dd}, {changes.Count} changes", 2 + changes.Count, async step =>
            {
                await AdvanceAsync(customers.Select(c => c.ClockId).Distinct().ToList(), at, cancellationToken);
                step();
                foreach (var change in changes)
                {
                    var shopId = customers[change.Customer].ShopId;
                    await api.PutAsync(
                        $"api/v1/admin/shops/{shopId}/billing", new ShopTermsBody(planIds[change.Tier], change.Screens), SimulateJson.Default.ShopTermsBody, cancellationToken);
                    step();
                }

                taken.Add(await snapshots.TakeAsync(at, customers, cancellationToken));
                step();
            });
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Changes: {plan.Count(ChangeKind.Upgrade)} upgrades, {plan.Count(ChangeKind.Downgrade)} downgrades, {plan.Count(ChangeKind.Cancellation)} cancellations; {taken[^1].Subscriptions.Count(s => s.Status == "past_due")} past due (card declined)"));
        if (snapshotsPath is not null && !await WriteAsync(snapshotsPath, SnapshotFile.Of(plan.Seed, taken), cancellationToken))
        {
            return ExitCodes.Usage;
        }

        return await new MrrCheck(api, console, stderr, planIds).RunAsync(taken, cancellationToken);
    }

    /// <summary>The five plans, created afresh for the run so the analytics API's figures per plan are this run's alone.</summary>
    private async Task<string[]> PricePlansAsync(int seed, CancellationToken cancellationToken)
    {
        var ids = new string[LifecycleRules.Tiers.Count];
        for (var tier = 0; tier < ids.Length; tier++)
        {
            var rule = LifecycleRules.Tiers[tier];
            var body = new PricePlanBody(
                string.Create(CultureInfo.InvariantCulture, $"{rule.Name} (simulation {seed})"), LifecycleRules.Currency,
                [new PerSeatChargeBody("per_seat", "Screens", rule.PricePerScreen)]);
            ids[tier] = Id(await api.PostAsync("api/v1/admin/price-plans", body, SimulateJson.Default.PricePlanBody, cancellationToken));
        }

        return ids;
    }

    private async Task<List<SimulatedCustomer>> CustomersAsync(LifecyclePlan plan, DateTimeOffset start, string[] planIds, CancellationToken cancellationToken)
    {
        var clocks = new List<string>();
        for (var k = 0; k * LifecycleRules.CustomersPerClock < plan.Customers.Count; k++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"Simulation {plan.Seed} #{k + 1}");
            clocks.Add(Id(await api.PostAsync("api/v1/admin/test-clocks", new TestClockBody(start, name), SimulateJson.Default.TestClockBody, cancellationToken)));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Simulating {plan.Customers.Count} customers over {plan.Months} months on {clocks.Count} test clocks from {start:yyyy-MM-dd HH:mm}Z ({string.Join(", ", clocks)})"));
        var customers = new List<SimulatedCustomer>(plan.Customers.Count);
        await ReportConsole.RunWithProgressAsync(console, stdout, $"Creating {plan.Customers.Count} customers", plan.Customers.Count, async step =>
        {
            foreach (var planned in plan.Customers)
            {
                customers.Add(await CustomerAsync(plan.Seed, planned, clocks[planned.Index / LifecycleRules.CustomersPerClock], planIds, cancellationToken));
                step();
            }
        });
        return customers;
    }

    private async Task<SimulatedCustomer> CustomerAsync(int seed, PlannedCustomer planned, string clockId, string[] planIds, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"Simulated {planned.Index + 1:000}");
        var email = string.Create(CultureInfo.InvariantCulture, $"customer{planned.Index + 1:000}.{clockId}@simulation.example");
        // Dollars at no VAT, in UTC: a month's MRR is the screens times the price, months end at midnight UTC.
        var customerId = Id(await api.PostAsync(
            "api/v1/admin/customers", new CustomerRequest(name, email, LifecycleRules.Currency, "UTC", 0m, clockId), SiloJson.Default.CustomerRequest, cancellationToken));
        var shopId = Id(await api.PostAsync($"api/v1/admin/customers/{customerId}/shops", new ShopRequest($"{name} screens"), GenerateJson.Default.ShopRequest, cancellationToken));
        var key = (await api.PostAsync($"api/v1/admin/shops/{shopId}/api-keys", new NameRequest($"simulation {seed}"), SiloJson.Default.NameRequest, cancellationToken))
            .GetProperty("key").GetString()!;
        await api.PutAsync(
            $"api/v1/admin/shops/{shopId}/billing", new ShopTermsBody(planIds[planned.Tier], planned.Screens), SimulateJson.Default.ShopTermsBody, cancellationToken);
        var card = new CardBody(new CardDetails(planned.PastDue ? LifecycleRules.DecliningCard : LifecycleRules.GoodCard, 12, 2030, "123"));
        await api.PostAsShopAsync(key, "api/v1/billing/payment-methods", card, SimulateJson.Default.CardBody, cancellationToken);
        return new SimulatedCustomer(planned, customerId, shopId, key, clockId);
    }

    /// <summary>Asks every clock to advance (202), then waits until each is <c>ready</c> at <paramref name="to"/>.</summary>
    private async Task AdvanceAsync(IReadOnlyList<string> clocks, DateTimeOffset to, CancellationToken cancellationToken)
    {
        foreach (var clock in clocks)
        {
            await api.PostAsync($"api/v1/admin/test-clocks/{clock}/advance", new AdvanceBody(to), SimulateJson.Default.AdvanceBody, cancellationToken);
        }

        foreach (var clock in clocks)
        {
            for (var poll = 0; ; poll++)
            {
                var state = await api.GetAsync($"api/v1/admin/test-clocks/{clock}", cancellationToken);
                if (state.GetProperty("status").GetString() == "ready")
                {
                    if (state.GetProperty("frozen_time").GetDateTimeOffset() != to)
                    {
                        throw new GeneratorRefusedException($"test clock {clock} stopped at {state.GetProperty("frozen_time").GetDateTimeOffset():O} on its way to {to:O}.");
                    }

                    break;
                }

                if (poll >= MaxPolls)
                {
                    throw new GeneratorRefusedException($"test clock {clock} is still advancing to {to:O} after {MaxPolls * PollInterval.TotalSeconds:0} s.");
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    private async Task<bool> WriteAsync(string path, SnapshotFile snapshots, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(snapshots, SnapshotJson.Default.SnapshotFile), cancellationToken);
            console.WriteLine($"Snapshots: {path}");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"billing: cannot write --snapshots {path}: {error.Message}");
            return false;
        }
    }

    private static string Id(JsonElement created) => created.GetProperty("id").GetString()!;
}
