using System.Globalization;
using System.Text.Json.Serialization.Metadata;

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

    private async Task<EntityId> CreatePlanAsync(CancellationToken cancellationToken)
    {
        const string path = "api/v1/admin/plans";
        // Free and non-recurring: a load test must neither bill anyone nor renew itself.
        var plan = new PlanRequest("loadtest", 0m, "EUR", settings.TokensPerCustomer, 30, false, $"billing loadtest {runTag}");
        var reply = await admin.PostAsync(path, plan, LoadTestJson.Default.PlanRequest, cancellationToken);
        return LoadTestAdminClient.RequireId(reply, $"POST /{path}");
    }

    private async Task<ShopAccess> CreateShopAsync(int index, EntityId planId, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"loadtest-{runTag}-{index}");
        var customer = new CustomerRequest(name, $"{name}@example.com", "EUR", "Europe/Amsterdam");
        var customerId = await CreateAsync("api/v1/admin/customers", customer, LoadTestJson.Default.CustomerRequest, cancellationToken);
        var shopPath = $"api/v1/admin/customers/{customerId.PathSegment}/shops";
        var shopId = await CreateAsync(shopPath, new NameRequest(name), LoadTestJson.Default.NameRequest, cancellationToken);

        var keyPath = $"api/v1/admin/shops/{shopId.PathSegment}/api-keys";
        var keyReply = await admin.PostAsync(keyPath, new NameRequest("loadtest"), LoadTestJson.Default.NameRequest, cancellationToken);
        var apiKey = LoadTestAdminClient.RequireString(keyReply, "key", $"POST /{keyPath}");

        var subscriptionPath = $"api/v1/admin/customers/{customerId.PathSegment}/subscription";
        await admin.PostAsync(subscriptionPath, new SubscriptionRequest(planId.Json), LoadTestJson.Default.SubscriptionRequest, cancellationToken);
        return new ShopAccess(customerId.ToString(), apiKey);
    }

    private async Task<EntityId> CreateAsync<T>(string path, T body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var reply = await admin.PostAsync(path, body, typeInfo, cancellationToken);
        return LoadTestAdminClient.RequireId(reply, $"POST /{path}");
    }
}
