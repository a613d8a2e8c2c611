using System.Net.Http.Headers;

namespace Billing.Cli.LoadTest;

/// <summary>
/// Sends the load test's POSTs over one pooled client and reduces each exchange to its status code. A POST without
/// a shop's API key (the bare parse endpoint's) carries the admin key instead.
/// </summary>
internal sealed class TrafficSender(HttpClient http, byte[] body, string adminKey)
{
    public async ValueTask<int> PostAsync(Uri uri, string? apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        }

        try
        {
            // The default completion option reads the whole body, which frees the connection for the next request.
            using var response = await http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return SegmentRecorder.NoAnswer;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout passed: the silo may or may not have acted on it.
            return SegmentRecorder.NoAnswer;
        }
    }
}

/// <summary>Chooses the shop for each consume: round-robin over all shops, or per-worker random from a fixed seed.</summary>
internal sealed class ShopPicker
{
    private readonly int shops;
    private readonly Random[]? randoms;
    private long turn = -1;

    public ShopPicker(int shops, int workers, int? seed)
    {
        this.shops = shops;
        // One generator per worker: Random is not thread-safe, and a worker's requests run one after another.
        randoms = seed is { } value ? [.. Enumerable.Range(0, workers).Select(worker => new Random(unchecked(value + worker)))] : null;
    }

    public int Next(int worker) =>
        randoms is null ? (int)((ulong)Interlocked.Increment(ref turn) % (ulong)shops) : randoms[worker].Next(shops);
}

/// <summary>
/// Tokens per shop that this run knows the silo accepted (answered 200), and tokens it cannot know about (no answer
/// came). Error statuses count as not charged: the silo must not charge a request it answers with an error.
/// </summary>
internal sealed class TokenTally(int shops)
{
    private readonly long[] accepted = new long[shops];
    private readonly long[] unanswered = new long[shops];

    public void Record(int shop, int statusCode, long tokens)
    {
        if (statusCode == 200)
        {
            Interlocked.Add(ref accepted[shop], tokens);
        }
        else if (statusCode == SegmentRecorder.NoAnswer)
        {
            Interlocked.Add(ref unanswered[shop], tokens);
        }
    }

    public long AcceptedBy(int shop) => Interlocked.Read(ref accepted[shop]);

    public long UnansweredBy(int shop) => Interlocked.Read(ref unanswered[shop]);
}

/// <summary>The metered call under test: a consume with a shop's API key, accounted per shop.</summary>
internal sealed class ConsumeTraffic(TrafficSender sender, Uri consumeUri, IReadOnlyList<string> apiKeys, ShopPicker picker, TokenTally tally, int tokensPerCall)
{
    public async ValueTask<int> SendAsync(int worker, CancellationToken cancellationToken)
    {
        var shop = picker.Next(worker);
        var status = await sender.PostAsync(consumeUri, apiKeys[shop], cancellationToken);
        tally.Record(shop, status, tokensPerCall);
        return status;
    }
}
