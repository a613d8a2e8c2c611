using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// Clients metering through a database outage as the README tells them to: every consume carries
/// its own Idempotency-Key, and a 503 is retried with the same key and body after its Retry-After
/// (one eager client retries every 100 ms instead, to time the recovery). A client stops only
/// between consumes, so when the load ends every consume it started has been acknowledged once.
/// Every fifth consume of a client is a usage batch of three events.
/// </summary>
internal sealed class OutageLoad(Func<HttpClient> clients, Stopwatch clock)
{
    private const int BatchEvents = 3;
    private static readonly TimeSpan EagerRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Every answer that was not a 200, as (status, code, Retry-After seconds or null).</summary>
    public ConcurrentQueue<(int Status, string? Code, double? RetryAfterSeconds)> Refusals { get; } = new();

    /// <summary>Each acknowledged idempotency key with its tokens and usage id.</summary>
    public ConcurrentDictionary<string, (long Tokens, Guid UsageId)> Acknowledged { get; } = new(StringComparer.Ordinal);

    /// <summary>Consumes answered from an earlier commit (Idempotent-Replayed): a 503 whose commit had in fact landed.</summary>
    public int Replayed => Volatile.Read(ref replayed);

    /// <summary>When (ms on the test's stopwatch) each 200 came; read to find the first after the database is back.</summary>
    public ConcurrentQueue<long> AcknowledgedAtMs { get; } = new();

    private int replayed;

    /// <summary>Runs <paramref name="workers"/> clients until <paramref name="stop"/>, then lets each finish the consume it is on, until <paramref name="deadline"/>.</summary>
    public Task RunAsync(int workers, CancellationToken stop, CancellationToken deadline) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkAsync(worker, stop, deadline), CancellationToken.None)));

    private async Task WorkAsync(int worker, CancellationToken stop, CancellationToken deadline)
    {
        using var client = clients();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = $"outage-{worker}-{i}";
            var tokens = 1 + ((worker + i) % 7);
            while (await TryAsync(client, key, tokens, batch: i % 5 == 4, deadline) is { } retryAfter)
            {
                await Task.Delay(worker == 0 ? EagerRetry : retryAfter, deadline);
            }
        }
    }

    /// <summary>One attempt; null when acknowledged, else how long to wait before the retry.</summary>
    private async Task<TimeSpan?> TryAsync(HttpClient client, string key, int tokens, bool batch, CancellationToken deadline)
    {
        using var request = batch
            ? new HttpRequestMessage(HttpMethod.Post, "/api/v1/usage/batch")
            {
                Content = JsonContent.Create(new { events = Enumerable.Range(0, BatchEvents).Select(e => new { tokens, endpoint = "/v1/batch", idempotency_key = $"{key}-{e}" }) }),
            }
            : new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens, endpoint = "/v1/search" }) };
        if (!batch)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request, deadline);
        var text = await response.Content.ReadAsStringAsync(deadline);
        var body = text.StartsWith('{') ? JsonDocument.Parse(text).RootElement : default;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) ? c.GetString() : text;
            var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
            Refusals.Enqueue(((int)response.StatusCode, code, retryAfter));
            return TimeSpan.FromSeconds(Math.Clamp(retryAfter ?? 1, 0.1, MaxRetryAfter.TotalSeconds));
        }

        AcknowledgedAtMs.Enqueue(clock.ElapsedMilliseconds);
        if (!batch)
        {
            Acknowledge(key, tokens, body.GetProperty("usage_id").GetGuid());
            if (response.Headers.TryGetValues("Idempotent-Replayed", out _))
            {
                Interlocked.Increment(ref replayed);
            }

            return null;
        }

        foreach (var result in body.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(200, result.GetProperty("status").GetInt32());
            Acknowledge($"{key}-{result.GetProperty("index").GetInt32()}", tokens, result.GetProperty("usage_id").GetGuid());
        }

        return null;
    }

    private void Acknowledge(string key, long tokens, Guid usageId)
    {
        var first = Acknowledged.GetOrAdd(key, (tokens, usageId));
        Assert.True(first == (tokens, usageId), $"{key} was acknowledged twice with different usage ids: {first.UsageId} and {usageId}");
    }
}
