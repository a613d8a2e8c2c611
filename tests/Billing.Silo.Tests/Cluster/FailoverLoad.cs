using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Billing.Silo.Tests.Cluster;

/// <summary>A load customer: its id and the API key of its one shop.</summary>
internal sealed record LoadCustomer(string Id, string Key);

/// <summary>
/// Consume load spread over every live silo, as a client behind a load balancer sends it: each
/// consume carries its own Idempotency-Key; a 503 or a broken connection is retried with the same
/// key on the next live silo, a bounded number of times (<see cref="MaxAttempts"/>). Records what was acknowledged, what stayed
/// unanswered (may or may not be durable), any other 5xx, and each customer's first success after
/// <see cref="Mark"/>.
/// </summary>
internal sealed class FailoverLoad : IDisposable
{
    // Long enough to outlast a dead silo's detection (its grains answer 503 until it is voted out),
    // bounded all the same: about 25 s of retries at most.
    public const int MaxAttempts = 30;
    private const int MaxConsumesPerWorker = 100_000;

    private readonly IReadOnlyList<Uri> silos;
    private readonly IReadOnlyList<LoadCustomer> customers;
    private readonly HttpClient[] clients;
    private readonly bool[] down;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, double> servedAfterMark = new();
    private long markTicks = long.MaxValue;

    public FailoverLoad(IReadOnlyList<Uri> silos, IReadOnlyList<LoadCustomer> customers)
    {
        this.silos = silos;
        this.customers = customers;
        down = new bool[silos.Count];
        clients = [.. silos.Select(url => new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) })];
    }

    public ConcurrentBag<(string Customer, Guid UsageId, long Tokens)> Acknowledged { get; } = [];

    /// <summary>Tokens of consumes whose outcome the client never learnt (committed or not).</summary>
    public ConcurrentDictionary<string, long> Unanswered { get; } = new();

    /// <summary>What a client saw in the end that was no answer: any 5xx but a retried 503, or retries run out.</summary>
    public ConcurrentBag<string> Failures { get; } = [];

    /// <summary>Attempts answered 503 (each retried unless it was the last).</summary>
    public int Unavailable => unavailable;

    /// <summary>The 503 answers by their problem code (silo_unavailable, journal_unavailable, …).</summary>
    public ConcurrentDictionary<string, int> UnavailableCodes { get; } = new();

    /// <summary>Attempts whose connection failed or timed out (each retried unless it was the last).</summary>
    public int Broken => broken;

    private int unavailable;
    private int broken;

    /// <summary>From now on, each customer's first successful consume sent after this instant is timed.</summary>
    public void Mark() => Interlocked.Exchange(ref markTicks, clock.Elapsed.Ticks);

    /// <summary>The silo no longer takes requests (killed or stopped): clients stop choosing it.</summary>
    public void TakeDown(int silo) => Volatile.Write(ref down[silo], true);

    /// <summary>Seconds from the mark to each customer's first success after it, for those served again.</summary>
    public IReadOnlyDictionary<string, double> ServedAfterMark => servedAfterMark;

    public bool EveryCustomerServedAfterMark => customers.All(c => servedAfterMark.ContainsKey(c.Id));

    public Task RunAsync(int workers, int seed, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, new Random(seed + w), stop), CancellationToken.None)));

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private async Task WorkerAsync(int worker, Random random, CancellationToken stop)
    {
        for (var i = 0; i < MaxConsumesPerWorker && !stop.IsCancellationRequested; i++)
        {
            var customer = customers[random.Next(customers.Count)];
            var tokens = 1 + random.Next(7);
            await ConsumeAsync(customer, tokens, $"w{worker}-{i}", random.Next(silos.Count));
        }
    }

    private async Task ConsumeAsync(LoadCustomer customer, long tokens, string idempotencyKey, int firstSilo)
    {
        string? last = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(Math.Min(100 * attempt, 1_000));
            }

            var silo = LiveSilo(firstSilo + attempt);
            var sentAt = clock.Elapsed.Ticks;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens }) };
            request.Headers.Add("X-API-Key", customer.Key);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await clients[silo].SendAsync(request, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                    Acknowledged.Add((customer.Id, body.GetProperty("usage_id").GetGuid(), tokens));
                    Served(customer, sentAt);
                    return;
                }

                last = $"{(int)response.StatusCode} from {silos[silo]}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref unavailable);
                    UnavailableCodes.AddOrUpdate(ProblemCode(last), 1, (_, n) => n + 1);
                }
                else
                {
                    // Not retryable: a 5xx here is a failure the client sees; a 4xx would be the test's own mistake.
                    Failures.Add(last);
                    Unanswered.AddOrUpdate(customer.Id, tokens, (_, sum) => sum + tokens);
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                // The silo went away under the request (or never took it): the same key elsewhere tells.
                Interlocked.Increment(ref broken);
                last = $"{error.GetType().Name} from {silos[silo]}: {error.Message}";
            }
        }

        Failures.Add($"gave up after {MaxAttempts} attempts: {last}");
        Unanswered.AddOrUpdate(customer.Id, tokens, (_, sum) => sum + tokens);
    }

    private static string ProblemCode(string answer)
    {
        const string Marker = "\"code\":\"";
        var at = answer.IndexOf(Marker, StringComparison.Ordinal);
        var end = at < 0 ? -1 : answer.IndexOf('"', at + Marker.Length);
        return end < 0 ? "(none)" : answer[(at + Marker.Length)..end];
    }

    private int LiveSilo(int preferred)
    {
        for (var i = 0; i < silos.Count; i++)
        {
            var candidate = (preferred + i) % silos.Count;
            if (!Volatile.Read(ref down[candidate]))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("every silo is down");
    }

    private void Served(LoadCustomer customer, long sentAtTicks)
    {
        var mark = Interlocked.Read(ref markTicks);
        if (sentAtTicks >= mark)
        {
            servedAfterMark.TryAdd(customer.Id, TimeSpan.FromTicks(clock.Elapsed.Ticks - mark).TotalSeconds);
        }
    }
}
