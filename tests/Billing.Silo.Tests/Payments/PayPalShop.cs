using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;

namespace Billing.Silo.Tests.Payments;

/// <summary>A silo with PayPal pointed at a stand-in, a EUR 15.00 plan of 1,000 tokens and a customer's key to buy it: what every PayPal test starts from.</summary>
internal sealed class PayPalShop : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase database;

    private PayPalShop(PayPalStandIn payPal, TestDatabase database, CatalogSilo silo)
    {
        (PayPal, this.database, Silo) = (payPal, database, silo);
    }

    public PayPalStandIn PayPal { get; }

    public CatalogSilo Silo { get; }

    public string PlanId { get; private set; } = string.Empty;

    public string Key { get; private set; } = string.Empty;

    public static async Task<PayPalShop> StartAsync(string dialect = StorageOptions.Sqlite)
    {
        var payPal = await PayPalStandIn.StartAsync();
        var database = await TestDatabase.CreateAsync(dialect);
        var shop = new PayPalShop(payPal, database, CatalogSilo.Start(database, null, Now, payPal.Settings));
        (shop.PlanId, shop.Key) = await PurchaseApiTests.BuyerAsync(shop.Silo, price: 15.00m, tokens: 1_000);
        return shop;
    }

    /// <summary>A client with the customer's API key.</summary>
    public HttpClient Customer() => MeteringApiTests.Client(Silo, Key);

    public async Task<JsonElement> BuyAsync(HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var client = Customer();
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = PlanId, payment_method = "paypal" });
        return await CatalogSilo.ReadAsync(response, expected);
    }

    /// <summary>A purchase waiting for the buyer on PayPal: its order's id.</summary>
    public async Task<string> OrderAsync() =>
        (await BuyAsync(HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;

    /// <summary>The buyer's browser (no API key) sent back by PayPal to <c>return</c> or <c>cancel</c>.</summary>
    public async Task<JsonElement> BrowserAsync(string page, string? orderId, HttpStatusCode expected)
    {
        using var browser = Silo.CreateClient();
        return await Silo.GetAsync(browser, orderId is null ? $"/api/v1/billing/paypal/{page}" : $"/api/v1/billing/paypal/{page}?token={orderId}", expected);
    }

    public async Task<JsonElement> ConfirmAsync(string paymentId, HttpStatusCode expected)
    {
        using var client = Customer();
        return await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/payments/{paymentId}/confirm", UriKind.Relative), null), expected);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var client = Customer();
        return await Silo.GetAsync(client, path);
    }

    public async Task<long> TokensGrantedAsync() => (await GetAsync("/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64();

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await database.DisposeAsync();
        await PayPal.DisposeAsync();
    }
}
