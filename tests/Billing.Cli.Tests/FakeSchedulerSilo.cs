using System.Collections.Concurrent;
using System.Text;

namespace Billing.Cli.Tests;

/// <summary>What a <see cref="FakeSchedulerSilo"/> answers; unset parts answer as a healthy silo would.</summary>
internal sealed record SchedulerScript
{
    /// <summary>The answer to starting a run; by default 202 for <see cref="FakeSchedulerSilo.RunId"/>.</summary>
    public FakeResponse Start { get; init; } = new(202, SchedulerReplies.Started(FakeSchedulerSilo.RunId));

    /// <summary>Successive answers to <c>GET runs/run_1</c>; the last one repeats.</summary>
    public IReadOnlyList<FakeResponse> Polls { get; init; } = [];

    /// <summary>The 200 body of <c>process-shop-billing</c> per shop id; other shops are 404 <c>shop_not_found</c>.</summary>
    public IReadOnlyDictionary<string, string> Shops { get; init; } = new Dictionary<string, string>();

    public string Status { get; init; } = SchedulerReplies.EmptyStatus;
}

/// <summary>
/// A fake of the silo's billing scheduler API on 127.0.0.1, following the contract the silo is built to: bearer admin
/// key on every call (401 problem otherwise), snake_case JSON bodies, problem details with a <c>code</c> for errors.
/// It answers from a <see cref="SchedulerScript"/> and records the requests it got (at most <see cref="MaxRecorded"/>).
/// </summary>
internal sealed class FakeSchedulerSilo : IAsyncDisposable
{
    public const string AdminKey = FakeBillingSilo.AdminKey;
    public const string RunId = "run_1";
    private const int MaxRecorded = 1000;
    private const string Root = "/api/billing-scheduler/";

    private readonly FakeHttpServer server;
    private readonly SchedulerScript script;
    private int polled;

    public FakeSchedulerSilo(SchedulerScript script)
    {
        this.script = script;
        server = new FakeHttpServer((request, _) => Task.FromResult(Route(request)));
    }

    public Uri Url => server.Url;

    public IReadOnlyCollection<Exception> Faults => server.Faults;

    /// <summary>Each request as "METHOD /path body", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private FakeResponse Route(FakeRequest request)
    {
        if (Requests.Count < MaxRecorded)
        {
            Requests.Enqueue($"{request.Method} {request.Path} {Encoding.UTF8.GetString(request.Body)}".TrimEnd());
            Authorizations.Enqueue(request.Header("authorization"));
        }

        if (request.Header("authorization") != $"Bearer {AdminKey}")
        {
            return SchedulerReplies.Problem(401, "unauthorized", "Unauthorized", "The admin key is missing or wrong.");
        }

        var path = request.Path.StartsWith(Root, StringComparison.Ordinal) ? request.Path[Root.Length..] : request.Path;
        return (request.Method, path) switch
        {
            ("POST", "process-monthly-billing") => WithJsonBody(request, () => script.Start),
            ("GET", "runs/" + RunId) => NextPoll(),
            ("GET", var runs) when runs.StartsWith("runs/", StringComparison.Ordinal) =>
                SchedulerReplies.Problem(404, "run_not_found", "Run not found", $"No run {runs[5..]}."),
            ("POST", var shop) when shop.StartsWith("process-shop-billing/", StringComparison.Ordinal) =>
                WithJsonBody(request, () => Shop(Uri.UnescapeDataString(shop["process-shop-billing/".Length..]))),
            ("GET", "status") => new FakeResponse(200, script.Status),
            _ => SchedulerReplies.Problem(404, "not_found", "Not found", request.Path),
        };
    }

    private static FakeResponse WithJsonBody(FakeRequest request, Func<FakeResponse> answer) =>
        request.Header("content-type")?.StartsWith("application/json", StringComparison.Ordinal) == true
            ? answer()
            : throw new InvalidOperationException($"{request.Line} without a JSON content type");

    private FakeResponse NextPoll()
    {
        var index = Interlocked.Increment(ref polled) - 1;
        return script.Polls.Count == 0
            ? throw new InvalidOperationException("the script has no polls")
            : script.Polls[Math.Min(index, script.Polls.Count - 1)];
    }

    private FakeResponse Shop(string shopId) => script.Shops.TryGetValue(shopId, out var body)
        ? new FakeResponse(200, body)
        : SchedulerReplies.Problem(404, "shop_not_found", "Shop not found", $"No shop {shopId}.");
}
