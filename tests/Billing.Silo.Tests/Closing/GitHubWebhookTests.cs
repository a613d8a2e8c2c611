using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Closing;

/// <summary>Seed 002's GitHub trigger: a signed workflow_dispatch or repository_dispatch starts a billing run; anything unsigned starts nothing.</summary>
public sealed class GitHubWebhookTests
{
    private const string Secret = "github-webhook-secret-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ASignedWorkflowDispatchStartsADryRunOfTheNamedShopsForThePreviousMonth()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, Secret);
        var (_, shopA, _, _) = await silo.IssueKeyAsync();
        var (_, shopB, _, _) = await silo.IssueKeyAsync();
        var body = $$"""{"inputs":{"dry_run":"true","shop_ids":"{{shopA}}, {{shopB}}","period":""},"ref":"refs/heads/main"}""";

        var started = await DeliverAsync(silo, "workflow_dispatch", body, Sign(body, Secret), HttpStatusCode.Accepted);
        var run = await WaitForRunAsync(silo, started.GetProperty("status_url").GetString()!);

        Assert.Equal(("github", "2026-10", true), (run.GetProperty("trigger").GetString(), run.GetProperty("period").GetString(), run.GetProperty("dry_run").GetBoolean()));
        Assert.Equal(2, run.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task ARepositoryDispatchTakesItsClientPayloadWithAListAndABoolean()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, Secret);
        var (_, shop, _, _) = await silo.IssueKeyAsync();
        var body = $$$"""{"action":"monthly-billing","client_payload":{"dry_run":true,"shop_ids":["{{{shop}}}"],"period":"2026-09"}}""";

        var started = await DeliverAsync(silo, "repository_dispatch", body, Sign(body, Secret), HttpStatusCode.Accepted);
        var run = await WaitForRunAsync(silo, started.GetProperty("status_url").GetString()!);

        Assert.Equal(("2026-09", true, 1), (run.GetProperty("period").GetString(), run.GetProperty("dry_run").GetBoolean(), run.GetProperty("results").GetArrayLength()));
    }

    [Fact]
    public async Task AWrongOrMissingSignatureIs400AndStartsNoRun()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, Secret);
        const string body = """{"inputs":{"dry_run":"true"}}""";

        var wrong = await DeliverAsync(silo, "workflow_dispatch", body, Sign(body, "another-secret-0123456789abcdef"), HttpStatusCode.BadRequest);
        var missing = await DeliverAsync(silo, "workflow_dispatch", body, null, HttpStatusCode.BadRequest);
        var tampered = await DeliverAsync(silo, "workflow_dispatch", body.Replace("true", "false", StringComparison.Ordinal), Sign(body, Secret), HttpStatusCode.BadRequest);

        Assert.All(new[] { wrong, missing, tampered }, p => Assert.Equal("invalid_signature", p.GetProperty("code").GetString()));
        var status = await silo.GetAsync(silo.Admin, "/api/billing-scheduler/status");
        Assert.Empty(status.GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task PingIsAnsweredOtherEventsAreIgnoredAndWithoutASecretTheWebhookIsNotThere()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, Secret);
        await using var bare = TestDatabase.CreateSqlite();
        await using var unconfigured = Start(bare, secret: null);
        const string body = """{"zen":"Keep it logically awesome."}""";

        var ping = await DeliverAsync(silo, "ping", body, Sign(body, Secret), HttpStatusCode.OK);
        var push = await DeliverAsync(silo, "push", body, Sign(body, Secret), HttpStatusCode.OK);
        var absent = await DeliverAsync(unconfigured, "ping", body, Sign(body, Secret), HttpStatusCode.NotFound);

        Assert.Equal(("pong", "ignored"), (ping.GetProperty("outcome").GetString(), push.GetProperty("outcome").GetString()));
        Assert.Equal("webhook_not_configured", absent.GetProperty("code").GetString());
    }

    private static CatalogSilo Start(TestDatabase database, string? secret) =>
        CatalogSilo.Start(database, null, Now, secret is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Billing:GitHub:WebhookSecret"] = secret });

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task<JsonElement> DeliverAsync(CatalogSilo silo, string gitHubEvent, string body, string? signature, HttpStatusCode expected)
    {
        using var client = silo.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing-scheduler/github-webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        using var response = await client.SendAsync(request);
        return await CatalogSilo.ReadAsync(response, expected);
    }

    private static async Task<JsonElement> WaitForRunAsync(CatalogSilo silo, string url)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var run = await silo.GetAsync(silo.Admin, url);
            if (run.GetProperty("status").GetString() != "running")
            {
                return run;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {url} still running after 10 s.");
    }
}
