using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Tests.Closing;

/// <summary>A Slack-like and a generic webhook receiver on 127.0.0.1 that keeps what it was sent and can fail the first posts.</summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failuresLeft;

    private NotificationReceiver(WebApplication app) => this.app = app;

    public string BaseUrl => LoopbackHttp.BaseUrl(app);

    /// <summary>Every post as (path, signature header, body), failed ones included.</summary>
    public ConcurrentQueue<(string Path, string Signature, string Body, int Status)> Posts { get; } = new();

    public static async Task<NotificationReceiver> StartAsync()
    {
        var receiver = new NotificationReceiver(LoopbackHttp.Create());
        receiver.app.MapPost("/{target}", async (HttpContext http, string target) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref receiver.failuresLeft) >= 0 ? 500 : 200;
            receiver.Posts.Enqueue(("/" + target, http.Request.Headers["X-Billing-Signature"].ToString(), body, status));
            return Results.StatusCode(status);
        });
        await receiver.app.StartAsync();
        return receiver;
    }

    public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

    /// <summary>Waits (at most 10 s) until <paramref name="count"/> posts arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        for (var attempt = 0; attempt < 200 && Posts.Count < count; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(Posts.Count >= count, $"expected {count} posts, got {Posts.Count}");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
