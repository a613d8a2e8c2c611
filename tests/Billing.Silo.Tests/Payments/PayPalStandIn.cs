using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// A local stand-in of PayPal's REST API on 127.0.0.1, shaped by PayPal's documented answers: an
/// OAuth2 client-credentials token, and Orders v2 (create, get, capture) with its 422 issues
/// (ORDER_NOT_APPROVED, ORDER_ALREADY_CAPTURED, INSTRUMENT_DECLINED) and 404 RESOURCE_NOT_FOUND.
/// A PayPal-Request-Id replays its first answer, as PayPal does. The buyer's approval on PayPal's
/// pages is the test-only <see cref="Approve"/> switch. It counts tokens, orders and captures it
/// really made, so a test can show that a retry made nothing more.
/// </summary>
internal sealed class PayPalStandIn : IAsyncDisposable
{
    public const string ClientId = "standin-client-id";
    public const string ClientSecret = "standin-client-secret";
    public const string ReturnUrl = "https://billing.example/api/v1/billing/paypal/return";
    public const string CancelUrl = "https://billing.example/api/v1/billing/paypal/cancel";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (int Status, string Body)> replies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> tokens = new(StringComparer.Ordinal);
    private int tokensIssued;
    private int ordersCreated;
    private int captures;
    private int down;
    private int responsesToLose;

    private PayPalStandIn(WebApplication app) => this.app = app;

    public string ApiBase => LoopbackHttp.BaseUrl(app);

    public int TokenRequests => Volatile.Read(ref tokensIssued);

    /// <summary>Orders created (replays under a PayPal-Request-Id excluded).</summary>
    public int OrdersCreated => Volatile.Read(ref ordersCreated);

    /// <summary>Captures made (replays and refusals excluded).</summary>
    public int Captures => Volatile.Read(ref captures);

    /// <summary>The PayPal-Request-Id of every create and capture, replays included, in order: "create id" or "capture id".</summary>
    public ConcurrentQueue<string> RequestIds { get; } = new();

    /// <summary>While set, every request's connection is dropped unanswered (PayPal unreachable).</summary>
    public bool Down
    {
        get => Volatile.Read(ref down) == 1;
        set => Volatile.Write(ref down, value ? 1 : 0);
    }

    /// <summary>A capture of an approved order is declined (INSTRUMENT_DECLINED), as with a card PayPal cannot charge.</summary>
    public bool DeclineCaptures { get; set; }

    /// <summary>Lifetime of the tokens it issues.</summary>
    public int TokenLifetimeSeconds { get; set; } = 32_400;

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Billing:Payments:PayPal:ClientId"] = ClientId,
        ["Billing:Payments:PayPal:ClientSecret"] = ClientSecret,
        ["Billing:Payments:PayPal:ApiBase"] = ApiBase,
        ["Billing:Payments:PayPal:ReturnUrl"] = ReturnUrl,
        ["Billing:Payments:PayPal:CancelUrl"] = CancelUrl,
        ["Billing:Payments:PayPal:MaxNetworkRetries"] = "0",
    };

    public static async Task<PayPalStandIn> StartAsync()
    {
        var standIn = new PayPalStandIn(LoopbackHttp.Create());
        standIn.app.Use(standIn.FaultsAsync);
        standIn.app.MapPost("/v1/oauth2/token", (Delegate)standIn.TokenAsync);
        standIn.app.MapPost("/v2/checkout/orders", (Delegate)standIn.CreateAsync);
        standIn.app.MapGet("/v2/checkout/orders/{id}", (HttpContext http, string id) => standIn.Authorized(http) is { } denied
            ? denied
            : standIn.orders.TryGetValue(id, out var order) ? Results.Content(order.ToJsonString(), "application/json") : NotFound(id));
        standIn.app.MapPost("/v2/checkout/orders/{id}/capture", (HttpContext http, string id) => standIn.Capture(http, id));
        await standIn.app.StartAsync();
        return standIn;
    }

    /// <summary>The buyer approved the order on PayPal's pages.</summary>
    public void Approve(string orderId) => orders[orderId]["status"] = "APPROVED";

    /// <summary>The order as PayPal keeps it.</summary>
    public JsonObject Order(string orderId) => orders[orderId];

    /// <summary>PayPal revokes every token it issued: the next call with one is a 401.</summary>
    public void RevokeTokens() => tokens.Clear();

    /// <summary>The next <paramref name="count"/> creates or captures are carried out, but their answers are lost on the way back.</summary>
    public void LoseNextResponses(int count) => Volatile.Write(ref responsesToLose, count);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task FaultsAsync(HttpContext http, RequestDelegate next)
    {
        if (Down)
        {
            http.Abort();
            return;
        }

        await next(http);
    }

    // What a create or capture did stands; its answer may be lost on the way back (LoseNextResponses).
    private IResult Reply(HttpContext http, (int Status, string Body) reply)
    {
        if (Interlocked.Decrement(ref responsesToLose) >= 0)
        {
            http.Abort();
            return Results.Empty;
        }

        return Results.Content(reply.Body, "application/json", statusCode: reply.Status);
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        var form = await http.Request.ReadFormAsync();
        if (http.Request.Headers.Authorization.ToString() != $"Basic {basic}" || form["grant_type"] != "client_credentials")
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client Authentication failed" }, statusCode: 401);
        }

        var token = $"A21AA_standin_{Interlocked.Increment(ref tokensIssued):D4}";
        tokens[token] = true;
        return Results.Content(
            new JsonObject { ["scope"] = "https://uri.paypal.com/services/payments/payment", ["access_token"] = token, ["token_type"] = "Bearer", ["app_id"] = "APP-STANDIN", ["expires_in"] = TokenLifetimeSeconds }.ToJsonString(),
            "application/json");
    }

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        if (Refused(http, "create", out var requestId) is { } refused)
        {
            return refused;
        }

        var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject();
        var unit = body["purchase_units"]![0]!.AsObject();
        var id = $"5O190127TN{Interlocked.Increment(ref ordersCreated):D7}";
        var order = new JsonObject
        {
            ["id"] = id, ["intent"] = body["intent"]!.GetValue<string>(), ["status"] = "PAYER_ACTION_REQUIRED",
            ["payment_source"] = body["payment_source"]!.DeepClone(),
            ["purchase_units"] = new JsonArray(new JsonObject { ["reference_id"] = "default", ["custom_id"] = unit["custom_id"]!.GetValue<string>(), ["amount"] = unit["amount"]!.DeepClone() }),
            ["links"] = new JsonArray(
                new JsonObject { ["href"] = $"{ApiBase}/v2/checkout/orders/{id}", ["rel"] = "self", ["method"] = "GET" },
                new JsonObject { ["href"] = $"https://www.sandbox.paypal.com/checkoutnow?token={id}", ["rel"] = "payer-action", ["method"] = "GET" }),
        };
        orders[id] = order;
        var reply = (201, order.ToJsonString());
        replies[requestId] = reply;
        return Reply(http, reply);
    }

    private IResult Capture(HttpContext http, string id)
    {
        if (Refused(http, "capture", out var requestId) is { } refused)
        {
            return refused;
        }

        if (!orders.TryGetValue(id, out var order))
        {
            return NotFound(id);
        }

        var (status, body) = order["status"]!.GetValue<string>() switch
        {
            "COMPLETED" => Unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed."),
            not "APPROVED" => Unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment."),
            _ when DeclineCaptures => Unprocessable("INSTRUMENT_DECLINED", "The instrument presented was either declined by the processor or bank, or it can't be used for this payment."),
            _ => Captured(order),
        };
        replies[requestId] = (status, body);
        return Reply(http, (status, body));
    }

    // Unauthorized, or a PayPal-Request-Id seen before: that answer, as PayPal replays it. Otherwise null and the request's "kind id".
    private IResult? Refused(HttpContext http, string kind, out string requestId)
    {
        requestId = $"{kind} {http.Request.Headers["PayPal-Request-Id"]}";
        if (Authorized(http) is { } denied)
        {
            return denied;
        }

        RequestIds.Enqueue(requestId);
        return replies.TryGetValue(requestId, out var earlier) ? Results.Content(earlier.Body, "application/json", statusCode: earlier.Status) : null;
    }

    private (int, string) Captured(JsonObject order)
    {
        var unit = order["purchase_units"]![0]!.AsObject();
        var captureId = string.Create(CultureInfo.InvariantCulture, $"3C679366HH{Interlocked.Increment(ref captures):D6}");
        unit["payments"] = new JsonObject
        {
            ["captures"] = new JsonArray(new JsonObject { ["id"] = captureId, ["status"] = "COMPLETED", ["amount"] = unit["amount"]!.DeepClone(), ["final_capture"] = true }),
        };
        order["status"] = "COMPLETED";
        return (201, order.ToJsonString());
    }

    private IResult? Authorized(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.ContainsKey(header["Bearer ".Length..])
            ? null
            : Results.Json(new JsonObject { ["error"] = "invalid_token", ["error_description"] = "Token signature verification failed" }, statusCode: 401);
    }

    private static IResult NotFound(string id) => Results.Content(
        Error("RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", $"Specified resource ID {id} does not exist. Please check the resource ID and try again.").ToJsonString(),
        "application/json", statusCode: 404);

    private static (int, string) Unprocessable(string issue, string description) =>
        (422, Error("UNPROCESSABLE_ENTITY", issue, description).ToJsonString());

    private static JsonObject Error(string name, string issue, string description) => new()
    {
        ["name"] = name, ["message"] = "The requested action could not be performed, semantically incorrect, or failed business validation.",
        ["debug_id"] = "f0e1d2c3b4a59", ["details"] = new JsonArray(new JsonObject { ["issue"] = issue, ["description"] = description }),
    };
}
