using System.Net;
using System.Text.Json;
using Billing.Silo.Notifications;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Closing;

/// <summary>Seed 002's notifications: a finished billing run is told to Slack and to a signed generic webhook, retried, never holding the run.</summary>
public sealed class RunNotificationTests
{
    private const string Secret = "notification-secret-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AFinishedRunIsToldToSlackAndToTheGenericWebhookWithAVerifiableSignature()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, receiver, firstRetryDelayMs: 1_000);
        var (_, shop, _, _) = await silo.IssueKeyAsync();

        var run = await silo.PostAsync("/api/billing-scheduler/process-monthly-billing", new { shop_ids = new[] { shop }, dry_run = true }, HttpStatusCode.OK);
        await receiver.WaitForAsync(2);

        var runId = run.GetProperty("run_id").GetString()!;
        var posts = receiver.Posts.ToList();
        var slack = JsonDocument.Parse(posts.Single(p => p.Path == "/slack").Body).RootElement;
        Assert.Equal($"Billing run {runId} for 2026-10 (api, dry run) completed: 1 shops, 0 billed, 1 with nothing due, 0 dead-lettered; 0 invoices issued, 0 already issued.", slack.GetProperty("text").GetString());
        var generic = posts.Single(p => p.Path == "/hook");
        Assert.Equal(NotificationSender.Sign(generic.Body, Secret, Now), generic.Signature);
        var notice = JsonDocument.Parse(generic.Body).RootElement;
        Assert.Equal(("billing_run.completed", runId, true), (notice.GetProperty("kind").GetString(), notice.GetProperty("data").GetProperty("run_id").GetString(), notice.GetProperty("data").GetProperty("dry_run").GetBoolean()));
    }

    [Fact]
    public async Task AFailingTargetIsRetriedWithDoublingDelaysUntilItTakesTheNotice()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, receiver, firstRetryDelayMs: 1_000, slack: false);
        var (_, shop, _, _) = await silo.IssueKeyAsync();
        receiver.FailNext(2);

        await silo.PostAsync("/api/billing-scheduler/process-monthly-billing", new { shop_ids = new[] { shop }, dry_run = true }, HttpStatusCode.OK);
        await receiver.WaitForAsync(1);
        silo.Time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(200);
        var beforeTheFirstDelay = receiver.Posts.Count;
        // The sender arms each delay only after it has read the previous answer, which under load can
        // come after a single move of the clock: the clock moves on in steps until the next post.
        await AdvanceUntilAsync(silo, receiver, posts: 2, step: TimeSpan.FromMilliseconds(10));
        await AdvanceUntilAsync(silo, receiver, posts: 3, step: TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, beforeTheFirstDelay);
        Assert.Equal(new[] { 500, 500, 200 }, receiver.Posts.Select(p => p.Status));
        Assert.Single(receiver.Posts.Select(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("id").GetGuid()).Distinct());
    }

    [Fact]
    public void AGenericWebhookWithoutASecretIsRefusedAtStart()
    {
        var problems = new NotificationOptions { WebhookUrl = "https://example.com/hook" }.Validate().ToList();

        Assert.Contains(problems, p => p.Contains("WebhookSecret", StringComparison.Ordinal));
        Assert.Empty(new NotificationOptions { SlackWebhookUrl = "https://hooks.slack.com/services/T/B/X" }.Validate());
    }

    private static CatalogSilo Start(TestDatabase database, NotificationReceiver receiver, int firstRetryDelayMs, bool slack = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Billing:Notifications:WebhookUrl"] = receiver.BaseUrl + "/hook",
            ["Billing:Notifications:WebhookSecret"] = Secret,
            ["Billing:Notifications:FirstRetryDelayMs"] = firstRetryDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (slack)
        {
            settings["Billing:Notifications:SlackWebhookUrl"] = receiver.BaseUrl + "/slack";
        }

        return CatalogSilo.Start(database, null, Now, settings);
    }

    private static async Task AdvanceUntilAsync(CatalogSilo silo, NotificationReceiver receiver, int posts, TimeSpan step)
    {
        for (var i = 0; i < 200 && receiver.Posts.Count < posts; i++)
        {
            silo.Time.Advance(step);
            await Task.Delay(50);
        }

        await receiver.WaitForAsync(posts);
    }
}
