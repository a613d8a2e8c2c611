using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Hardening;

/// <summary>Rate limits: a metered key past its bucket is 429 with Retry-After; an address past its failed authentications is 429 until its window ends, other addresses are not.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task AKeyPastItsBurstIs429WithRetryAfterWhileAnotherKeyGoesOn()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), new Dictionary<string, string>
        {
            ["Billing:RateLimits:MeteredRequestsPerSecondPerKey"] = "1",
            ["Billing:RateLimits:MeteredBurstPerKey"] = "2",
        });
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");
        var (_, _, otherKey) = await BillingScenario.CustomerAsync(silo, "UTC", "Other");
        using var client = BillingScenario.Client(silo, key);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1 }));
        }

        // Two from the burst at once; a token a second after that, so at least one of the next three is refused.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], answers.Take(2).Select(a => a.StatusCode));
        var refused = answers.Skip(2).First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await CatalogSilo.ReadAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 2);
        await BillingScenario.ConsumeAsync(silo, otherKey, 1);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task AnAddressPastItsFailedAuthenticationsIs429EvenWithAGoodKeyAndOtherAddressesAreNot()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(
            database,
            services => services.AddSingleton<IStartupFilter, PeerFromHeader>(),
            new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["Billing:RateLimits:FailedAuthPerWindow"] = "3", ["Billing:RateLimits:FailedAuthWindowSeconds"] = "60" });
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            wrong.Add((await SubscriptionAsync(silo, "203.0.113.7", "sk_wrong_0123456789")).StatusCode);
        }

        using var blocked = await SubscriptionAsync(silo, "203.0.113.7", key);
        using var otherAddress = await SubscriptionAsync(silo, "203.0.113.8", key);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], wrong);
        Assert.Equal("too_many_failed_authentications", (await CatalogSilo.ReadAsync(blocked, HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());
        Assert.Equal("60", Assert.Single(blocked.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    /// <summary>The customer's subscription, asked from <paramref name="peer"/> (a proxy, when <paramref name="forwardedFor"/> names a client).</summary>
    internal static async Task<HttpResponseMessage> SubscriptionAsync(CatalogSilo silo, string peer, string key, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/subscription");
        request.Headers.Add("X-API-Key", key);
        request.Headers.Add(PeerFromHeader.Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var client = silo.CreateClient();
        return await client.SendAsync(request);
    }
}
