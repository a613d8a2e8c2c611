using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Cluster;

/// <summary>
/// The front door as an operator runs it: a silo process on PostgreSQL with a gateway, and a
/// second process with Billing:Cluster:Role=front-door that hosts no silo and serves the same API
/// through an Orleans client, finding the gateway in the AdoNet membership table.
/// </summary>
public sealed class FrontDoorTests(ITestOutputHelper output)
{
    private const string AdminKey = "front-door-test-admin-key-0123456789-abc";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheFrontDoorServesTheApiThroughTheSilosGateway()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("billing-frontdoor-").FullName;
        using var silo = SiloProcess.Start(workingDirectory, SiloEnvironment(database, "silo-a"));
        Assert.Equal(HttpStatusCode.OK, await silo.WaitHealthyAsync(StartLimit));
        using var frontDoor = SiloProcess.Start(workingDirectory, FrontDoorEnvironment(database));
        Assert.Equal(HttpStatusCode.OK, await frontDoor.WaitHealthyAsync(StartLimit));

        var health = await GetAsync(frontDoor.Url, null, "/health");
        Assert.Equal("front-door", health.GetProperty("role").GetString());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("connected", health.GetProperty("cluster").GetString());
        Assert.Equal(1, health.GetProperty("active_silos").GetInt32());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("activations").ValueKind);
        Assert.Equal("silo", (await GetAsync(silo.Url, null, "/health")).GetProperty("role").GetString());

        var key = await CreateMeteredCustomerAsync(frontDoor.Url, tokens: 1_000);
        Assert.Equal(990, await ConsumeAsync(frontDoor.Url, key, 10));
        Assert.Equal(965, await ConsumeAsync(frontDoor.Url, key, 25));
        Assert.Equal(900, await ConsumeAsync(frontDoor.Url, key, 65));

        var subscription = await GetAsync(frontDoor.Url, key, "/api/v1/billing/subscription");
        Assert.Equal((900L, 100L), (subscription.GetProperty("tokens_remaining").GetInt64(), subscription.GetProperty("tokens_consumed").GetInt64()));
        // The shop grain counts the journal's durable events, a moment after the consumes answered.
        await Eventually.TrueAsync(
            async () => (await GetAsync(frontDoor.Url, key, "/api/v1/usage")).GetProperty("totals") is var totals
                && totals.GetProperty("requests").GetInt64() == 3 && totals.GetProperty("tokens").GetInt64() == 100,
            "the usage through the front door to count three consumes of 100 tokens");
        Directory.Delete(workingDirectory, recursive: true);
    }

    [Fact]
    public async Task ConsumesThroughTheFrontDoorSurviveASiloKillWithAtMostARetryable503()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("billing-frontdoor-").FullName;
        using var first = SiloProcess.Start(workingDirectory, FastFailover(SiloEnvironment(database, "silo-a")));
        Assert.Equal(HttpStatusCode.OK, await first.WaitHealthyAsync(StartLimit));
        using var second = SiloProcess.Start(workingDirectory, FastFailover(SiloEnvironment(database, "silo-b")));
        Assert.Equal(HttpStatusCode.OK, await second.WaitHealthyAsync(StartLimit));
        using var frontDoor = SiloProcess.Start(workingDirectory, FastFailover(FrontDoorEnvironment(database)));
        Assert.Equal(HttpStatusCode.OK, await frontDoor.WaitHealthyAsync(StartLimit));
        var key = await CreateMeteredCustomerAsync(frontDoor.Url, tokens: 1_000);
        Assert.Equal(990, await ConsumeAsync(frontDoor.Url, key, 10));

        await first.KillAsync();
        var remaining = 990L;
        var unavailable = 0;
        for (var i = 0; i < 10; i++)
        {
            (remaining, var refusals) = await ConsumeRetryingAsync(frontDoor.Url, key, 5, $"after-kill-{i}");
            unavailable += refusals;
        }

        // Every consume kept its Idempotency-Key across the 503s, so none was charged twice.
        Assert.Equal(940, remaining);
        Assert.Equal(HttpStatusCode.OK, await second.WaitHealthyAsync(StartLimit));
        output.WriteLine($"{unavailable} retryable refusals while the cluster dropped the killed silo");
        Directory.Delete(workingDirectory, recursive: true);
    }

    [Fact]
    public async Task TheFrontDoorRefusesToStartWithoutTheSilosSchema()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("billing-frontdoor-").FullName;
        var environment = FrontDoorEnvironment(database);
        environment["Billing__Cluster__FrontDoorStartWaitSeconds"] = "2";
        using var frontDoor = SiloProcess.Start(workingDirectory, environment);

        var error = frontDoor.Process.StandardError.ReadToEndAsync();
        Assert.True(frontDoor.Process.WaitForExit(20_000), "the front door kept waiting for a schema nobody migrates");
        Assert.Equal(1, frontDoor.Process.ExitCode);
        Assert.Contains("only silos migrate the schema", await error, StringComparison.Ordinal);
        Directory.Delete(workingDirectory, recursive: true);
    }

    internal static Dictionary<string, string> SiloEnvironment(TestDatabase database, string name) => new()
    {
        ["Billing__Storage"] = "postgres",
        ["ConnectionStrings__Billing"] = database.ConnectionString,
        ["Billing__AdminKey"] = AdminKey,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Billing__Cluster__SiloName"] = name,
        ["Billing__Cluster__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> FrontDoorEnvironment(TestDatabase database)
    {
        var environment = SiloEnvironment(database, "front-door");
        environment["Billing__Cluster__Role"] = "front-door";
        environment["Billing__Cluster__FrontDoorStartWaitSeconds"] = "20";
        return environment;
    }

    internal static async Task<string> CreateMeteredCustomerAsync(Uri url, long tokens)
    {
        using var admin = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var plan = await PostAsync(admin, "/api/v1/admin/plans", new { name = "Front", price = 1m, currency = "EUR", tokens_included = tokens, duration_days = 30, is_recurring = false });
        var customer = await PostAsync(admin, "/api/v1/admin/customers", new { name = "front door", email = "front@example.com" });
        var id = customer.GetProperty("id").GetString()!;
        var shop = await PostAsync(admin, $"/api/v1/admin/customers/{id}/shops", new { name = "shop" });
        var key = await PostAsync(admin, $"/api/v1/admin/shops/{shop.GetProperty("id").GetString()}/api-keys", new { name = "k" });
        await PostAsync(admin, $"/api/v1/admin/customers/{id}/subscription", new { plan_id = plan.GetProperty("id").GetString() });
        return key.GetProperty("key").GetString()!;
    }

    /// <summary>A silo that dies is voted out in about a second and a half, and a call to it gives up in five.</summary>
    private static Dictionary<string, string> FastFailover(Dictionary<string, string> environment)
    {
        environment["Billing__Cluster__ProbeTimeoutMs"] = "500";
        environment["Billing__Cluster__CallTimeoutMs"] = "5000";
        return environment;
    }

    /// <summary>
    /// One consume, sent again with the same Idempotency-Key while the answer is a retryable 503 or a
    /// call timeout (bounded); any other failure fails the test. Returns the tokens remaining and the refusals seen.
    /// </summary>
    private static async Task<(long Remaining, int Refusals)> ConsumeRetryingAsync(Uri url, string key, long tokens, string idempotencyKey)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        for (var refusals = 0; refusals < 40; refusals++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens }) };
            request.Headers.Add("X-API-Key", key);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (JsonDocument.Parse(text).RootElement.GetProperty("tokens_remaining").GetInt64(), refusals);
            }

            // A call that reached the killed silo before the cluster dropped it times out (504
            // timeout) under load; with its Idempotency-Key it is as safe to send again as a 503.
            Assert.True(
                (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
                || (response.StatusCode == HttpStatusCode.GatewayTimeout && text.Contains("\"code\":\"timeout\"", StringComparison.Ordinal)),
                $"consume after the kill: {(int)response.StatusCode} {text}");
            await Task.Delay(250);
        }

        throw new TimeoutException("the front door still refused the consume after 40 retries");
    }

    /// <summary>One consume; returns the tokens remaining it reports.</summary>
    internal static async Task<long> ConsumeAsync(Uri url, string key, long tokens)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens }) };
        request.Headers.Add("X-API-Key", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"consume: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("tokens_remaining").GetInt64();
    }

    private static async Task<JsonElement> GetAsync(Uri url, string? key, string path)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
