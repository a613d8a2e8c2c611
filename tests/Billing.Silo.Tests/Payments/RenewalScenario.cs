using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Payments.Renewals;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Payments;

/// <summary>A customer who bought a recurring 30-day plan (15 EUR, 1,000 tokens) with a card saved as its default, and looks at its renewal.</summary>
internal static class RenewalScenario
{
    public static readonly DateTimeOffset Bought = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset FirstEnd = Bought.AddDays(30);

    /// <summary>The customer and its key, after buying the plan with 4242 and saving <paramref name="savedCard"/> as its default method.</summary>
    public static async Task<(string CustomerId, string Key, string PlanId)> SubscribedAsync(CatalogSilo silo, string savedCard)
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Monthly", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true });
        var planId = plan.GetProperty("id").GetString()!;
        var (customerId, _, _, key) = await silo.IssueKeyAsync();
        using var client = MeteringApiTests.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", CollectionScenario.Card(savedCard)), HttpStatusCode.Created);
        await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK);
        return (customerId, key, planId);
    }

    public static Task<JsonElement> RenewalAsync(CatalogSilo silo, string customerId, HttpStatusCode expected = HttpStatusCode.OK) =>
        silo.GetAsync(silo.Admin, $"/api/v1/admin/customers/{customerId}/renewal", expected);

    /// <summary>
    /// Moves the clock to <paramref name="at"/>, then waits until the renewal satisfies
    /// <paramref name="settled"/> and, while it is scheduled, its grain's reminder holds its next
    /// attempt: the clock moves a millisecond per look (Orleans delays an overdue tick by one).
    /// </summary>
    public static async Task<JsonElement> AdvanceUntilAsync(CatalogSilo silo, string customerId, DateTimeOffset at, Func<JsonElement, bool> settled, string what)
    {
        if (at > silo.Time.GetUtcNow())
        {
            silo.Time.Advance(at - silo.Time.GetUtcNow());
        }

        JsonElement renewal = default;
        await Eventually.TrueAsync(
            async () =>
            {
                silo.Time.Advance(TimeSpan.FromMilliseconds(1));
                renewal = await RenewalAsync(silo, customerId);
                return settled(renewal)
                    && (renewal.GetProperty("status").GetString() != "scheduled"
                        || await ReminderDueAsync(silo, customerId) is { } due && due >= renewal.GetProperty("next_attempt_at").GetDateTimeOffset());
            },
            $"customer {customerId}: {what}",
            timeoutMs: 20_000);
        return renewal;
    }

    public static async Task<DateTimeOffset?> ReminderDueAsync(CatalogSilo silo, string customerId)
    {
        var entry = await silo.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create("plan-renewal", customerId), PlanRenewalGrain.RenewReminder);
        return entry is null ? null : new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc));
    }

    public static async Task<IReadOnlyList<JsonElement>> RenewalPaymentsAsync(CatalogSilo silo, string key) =>
        [.. (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("purpose").GetString() == "plan_renewal").Reverse()];

    public static (string?, string?, decimal) Payment(JsonElement payment) =>
        (payment.GetProperty("status").GetString(), payment.GetProperty("decline_code").GetString(), payment.GetProperty("amount").GetDecimal());
}
