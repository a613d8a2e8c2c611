using System.Globalization;
using Billing.Cli.Generate;

namespace Billing.Cli.Simulate;

/// <summary>
/// One subscription as the silo has it after a month: the plan and screens in effect (a downgrade or cancellation asked
/// this month takes effect at the next period), the monthly amount, and <c>active</c>, <c>past_due</c> (an invoice's
/// collection was declined) or <c>canceled</c> (0 screens).
/// </summary>
internal sealed record SubscriptionSnapshot(int Customer, string CustomerId, int? Tier, int Screens, decimal MonthlyAmount, string Status);

/// <summary>Every subscription at <see cref="At"/>; its figures are the MRR of <see cref="At"/>'s month (nothing changes until the next).</summary>
internal sealed record MonthSnapshot(DateTimeOffset At, IReadOnlyList<SubscriptionSnapshot> Subscriptions)
{
    public string Month => At.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>Reads every simulated subscription back through the admin API (its terms) and the shop's key (its payments).</summary>
internal sealed class LifecycleSnapshots(GeneratorApi api, IReadOnlyList<string> planIds)
{
    public async Task<MonthSnapshot> TakeAsync(DateTimeOffset at, IReadOnlyList<SimulatedCustomer> customers, CancellationToken cancellationToken)
    {
        var subscriptions = new List<SubscriptionSnapshot>(customers.Count);
        foreach (var customer in customers)
        {
            var terms = await api.GetAsync($"api/v1/admin/shops/{customer.ShopId}/billing", cancellationToken);
            var planId = terms.GetProperty("price_plan_id").GetString();
            var tier = planIds.ToList().IndexOf(planId ?? "");
            if (tier < 0)
            {
                throw new GeneratorRefusedException($"shop {customer.ShopId} is on price plan {planId ?? "(none)"}, not one of the simulation's.");
            }

            var screens = terms.GetProperty("seats").GetInt32();
            var payments = await api.GetAsShopAsync(customer.Key, "api/v1/billing/payments", cancellationToken);
            var declined = payments.GetProperty("payments").EnumerateArray()
                .Any(p => p.GetProperty("purpose").GetString() == "invoice_collection" && p.GetProperty("status").GetString() == "failed");
            var status = screens == 0 ? "canceled" : declined ? "past_due" : "active";
            subscriptions.Add(new SubscriptionSnapshot(
                customer.Planned.Index, customer.CustomerId, screens == 0 ? null : tier, screens, screens * LifecycleRules.Tiers[tier].PricePerScreen, status));
        }

        return new MonthSnapshot(at, subscriptions);
    }
}
