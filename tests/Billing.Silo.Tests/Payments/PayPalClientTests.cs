using Billing.Domain;
using Billing.Silo.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Tests.Payments;

/// <summary>PayPalClient's own retries, on the real clock: a lost answer is asked again under the same PayPal-Request-Id, and the retries are bounded.</summary>
public sealed class PayPalClientTests
{
    [Fact]
    public async Task ALostAnswerIsAskedAgainUnderTheSameRequestIdAndFindsTheOneOrder()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        using var client = Client(paypal, services, maxNetworkRetries: 1);
        paypal.LoseNextResponses(1);

        var order = await client.CreateOrderAsync(new Money(15.00m, Currency.EUR), Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), "billing:plan_purchase:x:attempt:1", CancellationToken.None);

        Assert.Equal(("PAYER_ACTION_REQUIRED", 1), (order.Status, paypal.OrdersCreated));
        Assert.Equal(new[] { "create billing:plan_purchase:x:attempt:1", "create billing:plan_purchase:x:attempt:1" }, paypal.RequestIds);
        Assert.Equal($"https://www.sandbox.paypal.com/checkoutnow?token={order.Id}", order.ApproveUrl);
    }

    [Fact]
    public async Task PayPalUnreachableIsAProviderErrorAfterTheConfiguredRetries()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        using var client = Client(paypal, services, maxNetworkRetries: 2);
        paypal.Down = true;

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() => client.GetOrderAsync("5O190127TN0000001", CancellationToken.None));

        Assert.Contains("after 3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, paypal.TokenRequests);
    }

    private static PayPalClient Client(PayPalStandIn paypal, ServiceProvider services, int maxNetworkRetries) => new(
        services.GetRequiredService<IHttpClientFactory>(),
        Options.Create(new PaymentOptions
        {
            PayPal = new PayPalProviderOptions
            {
                ClientId = PayPalStandIn.ClientId, ClientSecret = PayPalStandIn.ClientSecret, ApiBase = paypal.ApiBase,
                ReturnUrl = PayPalStandIn.ReturnUrl, CancelUrl = PayPalStandIn.CancelUrl, MaxNetworkRetries = maxNetworkRetries,
            },
        }),
        TimeProvider.System,
        NullLogger<PayPalClient>.Instance);
}
