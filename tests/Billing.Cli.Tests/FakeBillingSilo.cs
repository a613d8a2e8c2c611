using System.Globalization;
using System.Text.Json;

namespace Billing.Cli.Tests;

/// <summary>
/// An in-memory silo with the endpoints <c>billing loadtest</c> uses: admin setup, consume, the bare parse endpoint
/// and the subscription read, with correct balances, answering in the shapes the silo sends (Billing.Contracts). The "lossy" variant answers one consume 200 without deducting
/// it, so token conservation breaks. Bounded: at most <see cref="MaxEntities"/> of each kind.
/// </summary>
internal sealed class FakeBillingSilo : IAsyncDisposable
{
    public const string AdminKey = "admin-secret";
    private const int MaxEntities = 10_000;

    private readonly FakeHttpServer server;
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> planTokens = [];
    private readonly Dictionary<string, Balance?> customers = [];
    private readonly Dictionary<string, string> shopCustomers = [];
    private readonly Dictionary<string, string> keyShops = [];
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

    private sealed record Balance(string CustomerId, string PlanId, long Granted)
    {
        public long Remaining { get; set; } = Granted;

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
                ("POST", "api/v1/loadtest/parse") => Admin(request, () => Ok(200, $$"""{"tokens":{{Json(request).GetProperty("tokens").GetInt64()}}}""")),
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
        var (id, tokens) = ($"pln_{NewId()}", body.GetProperty("tokens_included").GetInt64());
        planTokens[id] = tokens;
        return Ok(201, $$"""
            {"id":"{{id}}","name":"loadtest","price":0.00,"currency":"EUR","tokens_included":{{tokens}},"duration_days":30,"is_recurring":false,"description":"x"}
            """);
    }

    private FakeResponse CreateCustomer(JsonElement body)
    {
        Require(body, "name", "email", "currency", "time_zone");
        var id = $"cus_{NewId()}";
        customers[id] = null;
        return Ok(201, $$"""
            {"id":"{{id}}","name":{{body.GetProperty("name").GetRawText()}},"email":{{body.GetProperty("email").GetRawText()}},"currency":"EUR",
             "time_zone":"Europe/Amsterdam","vat_rate":0.21}
            """);
    }

    private FakeResponse CreateShop(string customerId, JsonElement body)
    {
        Require(body, "name");
        if (!customers.ContainsKey(customerId))
        {
            return Problem(404, "not_found");
        }

        var id = $"shp_{NewId()}";
        shopCustomers[id] = customerId;
        return Ok(201, $$"""{"id":"{{id}}","customer_id":"{{customerId}}","name":{{body.GetProperty("name").GetRawText()}}}""");
    }

    private FakeResponse CreateKey(string shopId, JsonElement body)
    {
        Require(body, "name");
        if (!shopCustomers.ContainsKey(shopId))
        {
            return Problem(404, "not_found");
        }

        var id = NewId();
        var key = $"bk_test_{id}";
        keyShops[key] = shopId;
        return Ok(201, $$"""{"id":"key_{{id}}","shop_id":"{{shopId}}","name":"loadtest","prefix":"bk_test_","key":"{{key}}"}""");
    }

    private FakeResponse Subscribe(string customerId, JsonElement body)
    {
        var planId = body.GetProperty("plan_id").GetString() ?? "";
        if (!customers.ContainsKey(customerId) || !planTokens.TryGetValue(planId, out var tokens))
        {
            return Problem(404, "not_found");
        }

        var balance = new Balance(customerId, planId, tokens);
        customers[customerId] = balance;
        return Subscription(balance);
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
        $$"""
        {"customer_id":"{{balance.CustomerId}}","plan_id":"{{balance.PlanId}}","plan_name":"loadtest","tokens_granted":{{balance.Granted}},
         "tokens_remaining":{{balance.Remaining}},"tokens_consumed":{{balance.Consumed}},"start_date":"2029-12-02T00:00:00+00:00",
         "end_date":"2030-01-01T00:00:00+00:00","is_active":true}
        """));

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
