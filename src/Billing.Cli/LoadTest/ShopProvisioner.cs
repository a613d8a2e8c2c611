using System.Globalization;
using Billing.Contracts.Catalog;
using Billing.Contracts.Metering;

namespace Billing.Cli.LoadTest;

/// <summary>A provisioned shop: its customer (who holds the subscription) and the API key the load test sends.</summary>
internal sealed record ShopAccess(string CustomerId, string ApiKey);

/// <summary>
/// Creates the load test's world through the admin API: one plan, then per shop a customer, a shop, an API key and a
/// subscription, with a bounded number of shops in flight at once.
/// </summary>
internal sealed class ShopProvisioner(LoadTestAdminClient admin, LoadTestSettings settings, string runTag)
{
    private int provisioned;

    public int Provisioned => Volatile.Read(ref provisioned);

    public async Task<ShopAccess[]> ProvisionAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LoadTestSettings.MaxPassDuration);
        var planId = await CreatePlanAsync(deadline.Token);
        var shops = new ShopAccess[settings.Shops];
        var options = new ParallelOptions { MaxDegreeOfParallelism = LoadTestSettings.AdminConcurrency, CancellationToken = deadline.Token };
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Shops), options, async (index, token) =>
        {
            shops[index] = await CreateShopAsync(index, planId, token);
            Interlocked.Increment(ref provisioned);
        });
        return shops;
    }

    private async Task<string> CreatePlanAsync(CancellationToken cancellationToken)
    {
        // Free and non-recurring: a load test must neither bill anyone nor renew itself.
        var plan = new PlanRequest("loadtest", 0m, "EUR", settings.TokensPerCustomer, 30, false, $"billing loadtest {runTag}");
        var created = await admin.PostAsync("api/v1/admin/plans", plan, SiloJson.Default.PlanRequest, SiloJson.Default.PlanResponse, cancellationToken);
        return created.Id;
    }

    private async Task<ShopAccess> CreateShopAsync(int index, string planId, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"loadtest-{runTag}-{index}");
        var customer = await admin.PostAsync(
            "api/v1/admin/customers", new CustomerRequest(name, $"{name}@example.com", "EUR", "Europe/Amsterdam"),
            SiloJson.Default.CustomerRequest, SiloJson.Default.CustomerResponse, cancellationToken);
        var customerPath = $"api/v1/admin/customers/{Uri.EscapeDataString(customer.Id)}";
        var shop = await admin.PostAsync(
            $"{customerPath}/shops", new NameRequest(name), SiloJson.Default.NameRequest, SiloJson.Default.ShopResponse, cancellationToken);
        var key = await admin.PostAsync(
            $"api/v1/admin/shops/{Uri.EscapeDataString(shop.Id)}/api-keys", new NameRequest("loadtest"), SiloJson.Default.NameRequest,
            SiloJson.Default.ApiKeyCreatedResponse, cancellationToken);
        await admin.PostAsync(
            $"{customerPath}/subscription", new GrantSubscriptionRequest(planId), SiloJson.Default.GrantSubscriptionRequest,
            SiloJson.Default.SubscriptionResponse, cancellationToken);
        return new ShopAccess(customer.Id, key.Key);
    }
}
