using System.Net;
using Billing.Silo.Hosting;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Billing.Silo.Tests.Hardening.RateLimitTests;

namespace Billing.Silo.Tests.Hardening;

/// <summary>
/// Behind nginx every request comes from nginx: failed authentications are counted per client
/// only when the proxy is listed in Billing:Proxy, and X-Forwarded-For from anyone else is ignored.
/// </summary>
public sealed class TrustedProxyTests
{
    private const string Proxy = "127.0.0.1";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BehindAListedProxyFailedAuthenticationsCountPerForwardedClient()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, new() { ["Billing:Proxy:KnownProxies:0"] = Proxy });
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var refused = await SubscriptionAsync(silo, Proxy, "sk_wrong_0123456789", forwardedFor: "203.0.113.7");
            wrong.Add(refused.StatusCode);
        }

        using var guesser = await SubscriptionAsync(silo, Proxy, key, forwardedFor: "203.0.113.7");
        using var neighbour = await SubscriptionAsync(silo, Proxy, key, forwardedFor: "198.51.100.20");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, guesser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
    }

    [Fact]
    public async Task FromAnUnlistedPeerXForwardedForIsIgnoredSoAGuesserCannotChangeItsAddress()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, []);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");

        using var first = await SubscriptionAsync(silo, "203.0.113.7", "sk_wrong_0123456789", forwardedFor: "192.0.2.1");
        using var second = await SubscriptionAsync(silo, "203.0.113.7", "sk_wrong_0123456789", forwardedFor: "192.0.2.2");
        using var third = await SubscriptionAsync(silo, "203.0.113.7", key, forwardedFor: "192.0.2.3");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (first.StatusCode, second.StatusCode));
        Assert.Equal("too_many_failed_authentications", (await CatalogSilo.ReadAsync(third, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());
    }

    [Fact]
    public void AProxyThatIsNotAnAddressOrNetworkStopsTheSiloAtStart()
    {
        var options = new ProxyOptions { KnownProxies = ["nginx"], KnownNetworks = ["10.0.0.0/33"], ForwardLimit = 0 };

        Assert.Equal(
            [
                "Billing:Proxy:KnownProxies: 'nginx' is not an IP address.",
                "Billing:Proxy:KnownNetworks: '10.0.0.0/33' is not a network in CIDR notation (e.g. 10.0.0.0/8).",
                "Billing:Proxy:ForwardLimit must be 1..8 (got 0).",
            ],
            options.Validate());
    }

    private static CatalogSilo Start(TestDatabase database, Dictionary<string, string> settings)
    {
        settings["Billing:RateLimits:FailedAuthPerWindow"] = "2";
        return CatalogSilo.Start(database, services => services.AddSingleton<IStartupFilter, PeerFromHeader>(), Now, settings);
    }
}
