using System.Globalization;
using System.Text.Json;

namespace Billing.Cli.Tests;

/// <summary>
/// An in-memory silo with the endpoints <c>billing loadtest</c> uses: admin setup, consume, the bare parse endpoint
/// and the subscription read, with correct balances. The "lossy" variant answers one consume 200 without deducting
/// it, so token conservation breaks. Bounded: at most <see cref="MaxEntities"/> of each kind.
/// </summary>
internal sealed class FakeBillingSilo : IAsyncDisposable
{
    public const string AdminKey = "admin-secret";
    private const int MaxEntities = 10_000;

    private readonly FakeHttpServer server;
    private readonly Lock gate = new();
    private readonly Dictionary<long, long> planTokens = [];
    private readonly Dictionary<string, Balance?> customers = [];
    private readonly Dictionary<long, string> shopCustomers = [];
    private readonly Dictionary<string, long> keyShops = [];
    private bool loseNextAcceptedConsume;
    private long nextId;
    private long usages;

    private FakeBillingSilo(bool lossy)
    {
        loseNextAcceptedConsume = lossy;
        server = new FakeHttpServer((request, _) => Task.FromResult(Route(request)));
    }

    public Uri Url => server.Url;

    public IReadOnlyCollection<Exception> Faults => server.Faults;

    public static FakeBillingSilo Correct() => new(lossy: false);

    public static FakeBillingSilo LosingOneConsume() => new(lossy: true);

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private sealed class Balance(long granted)
    {
        public long Granted { get; } = granted;

        public long Remaining { get; set; } = granted;

        public long Consumed { get; set; }
    }

    private FakeResponse Route(FakeRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        var route = string.Join('/', segments.Select((segment, index) => index == 4 && segments.Length > 5 ? "{id}" : segment));
        lock (gate)
        {
            return (request.Method, route) switch
            {
                ("POST", "api/v1/admin/plans") => Admin(request, () => CreatePlan(Json(request))),
                ("POST", "api/v1/admin/customers") => Admin(request, () => CreateCustomer(Json(request))),
                ("POST", "api/v1/admin/customers/{id}/shops") => Admin(request, () => CreateShop(segments[4], Json(request))),
                ("POST", "api/v1/admin/shops/{id}/api-keys") => Admin(request, () => CreateKey(segments[4], Json(request))),
                ("POST", "api/v1/admin/customers/{id}/subscription") => Admin(request, () => Subscribe(segments[4], Json(request))),
                ("POST", "api/v1/billing/tokens/consume") => WithKey(request, balance => Consume(balance, Json(request))),
                ("GET", "api/v1/billing/subscription") => WithKey(request, Subscription),
                ("POST", "api/v1/loadtest/parse") => Ok(200, $$"""{"tokens":{{Json(request).GetProperty("tokens").GetInt64()}}}"""),
                _ => Problem(404, "not_found"),
            };
        }
    }

    private static JsonElement Json(FakeRequest request)
    {
        if (request.Header("content-type")?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"{request.Line} without a JSON content type");
        }

        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    private static FakeResponse Admin(FakeRequest request, Func<FakeResponse> action) =>
        request.Header("authorization") == $"Bearer {AdminKey}" ? action() : Problem(401, "unauthorized");

    private FakeResponse WithKey(FakeRequest request, Func<Balance, FakeResponse> action)
    {
        if (request.Header("x-api-key") is not { } key || !keyShops.TryGetValue(key, out var shop))
        {
            return Problem(401, "invalid_api_key");
        }

        return customers[shopCustomers[shop]] is { } balance ? action(balance) : Problem(403, "no_active_subscription");
    }

    private FakeResponse CreatePlan(JsonElement body)
    {
        Require(body, "name", "price", "currency", "tokens_included", "duration_days", "is_recurring", "description");
        var id = NewId();
        planTokens[id] = body.GetProperty("tokens_included").GetInt64();
        return Ok(201, $$"""{"id":{{id}},"name":"loadtest"}""");
    }

    private FakeResponse CreateCustomer(JsonElement body)
    {
        Require(body, "name", "email", "currency", "time_zone");
        // String ids here and numeric ids elsewhere: the CLI must send each back as it came.
        var id = $"cus_{NewId()}";
        customers[id] = null;
        return Ok(201, $$"""{"id":"{{id}}"}""");
    }

    private FakeResponse CreateShop(string customerId, JsonElement body)
    {
        Require(body, "name");
        if (!customers.ContainsKey(customerId))
        {
            return Problem(404, "not_found");
        }

        var id = NewId();
        shopCustomers[id] = customerId;
        return Ok(201, $$"""{"id":{{id}}}""");
    }

    private FakeResponse CreateKey(string shopId, JsonElement body)
    {
        Require(body, "name");
        if (!long.TryParse(shopId, CultureInfo.InvariantCulture, out var shop) || !shopCustomers.ContainsKey(shop))
        {
            return Problem(404, "not_found");
        }

        var id = NewId();
        var key = $"bk_test_{id}";
        keyShops[key] = shop;
        return Ok(201, $$"""{"id":{{id}},"key":"{{key}}"}""");
    }

    private FakeResponse Subscribe(string customerId, JsonElement body)
    {
        if (!customers.ContainsKey(customerId) || !planTokens.TryGetValue(body.GetProperty("plan_id").GetInt64(), out var tokens))
        {
            return Problem(404, "not_found");
        }

        customers[customerId] = new Balance(tokens);
        return Ok(200, $$"""{"customer_id":"{{customerId}}","tokens_granted":{{tokens}},"tokens_remaining":{{tokens}},"tokens_consumed":0,"is_active":true}""");
    }

    private FakeResponse Consume(Balance balance, JsonElement body)
    {
        Require(body, "tokens", "description", "endpoint", "method", "status_code");
        var tokens = body.GetProperty("tokens").GetInt64();
        if (balance.Remaining < tokens)
        {
            return Problem(402, "insufficient_tokens");
        }

        balance.Consumed += tokens;
        if (!loseNextAcceptedConsume)
        {
            balance.Remaining -= tokens;
        }

        loseNextAcceptedConsume = false;
        return Ok(200, $$"""{"tokens_remaining":{{balance.Remaining}},"used_tokens":{{tokens}},"usage_id":{{++usages}}}""");
    }

    private static FakeResponse Subscription(Balance balance) => Ok(200, string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"plan_id":1,"tokens_granted":{{balance.Granted}},"tokens_remaining":{{balance.Remaining}},"tokens_consumed":{{balance.Consumed}},"end_date":"2030-01-01","is_active":true}"""));

    private static void Require(JsonElement body, params string[] names)
    {
        var missing = names.Where(name => !body.TryGetProperty(name, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"request body lacks {string.Join(", ", missing)}");
        }
    }

    // Plans, customers, shops and keys share one sequence: four kinds, each at most MaxEntities.
    private long NewId() =>
        nextId < MaxEntities * 4L ? ++nextId : throw new InvalidOperationException("fake silo is full");

    private static FakeResponse Ok(int status, string body) => new(status, body);

    private static FakeResponse Problem(int status, string code) =>
        new(status, $$"""{"title":"{{code}}","status":{{status}},"code":"{{code}}"}""", "application/problem+json");
}
