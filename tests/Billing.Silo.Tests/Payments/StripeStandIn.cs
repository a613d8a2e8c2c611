using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// A local stand-in of Stripe's PaymentIntents API on 127.0.0.1, shaped by Stripe's documented
/// objects and errors: the test payment methods behave as in test mode (pm_card_visa succeeds,
/// pm_card_chargeDeclined… is a 402 card_error, pm_card_authenticationRequired needs action), and
/// an Idempotency-Key replays its first response, as Stripe does. It counts the PaymentIntents it
/// really created, so a test can show that a retry charged nothing more. Refunds (<c>/v1/refunds</c>)
/// of its PaymentIntents likewise: at most what the intent still holds, an Idempotency-Key
/// replaying the first refund, each one really made counted. SEPA Direct Debit mandates are set up
/// through <c>/v1/setup_intents</c> (see <c>StripeStandIn.SetupIntents.cs</c>).
/// </summary>
internal sealed partial class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_standin_0123456789abcdef";

    /// <summary>How long a held answer waits for its caller to go away.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(2);

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (int Status, string Body)> replies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> intents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> refunded = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private int created;
    private int refundsCreated;
    private int failuresLeft;
    private int answersToLose;
    private int customersCreated;
    private TaskCompletionSource? answerToHold;

    private StripeStandIn(WebApplication app) => this.app = app;

    public string ApiBase => LoopbackHttp.BaseUrl(app);

    /// <summary>PaymentIntents created (idempotent replays and failed requests excluded).</summary>
    public int Created => Volatile.Read(ref created);

    /// <summary>Refunds made (idempotent replays and failed requests excluded).</summary>
    public int RefundsCreated => Volatile.Read(ref refundsCreated);

    /// <summary>The Idempotency-Key and form of every refund request, replays included, in order.</summary>
    public ConcurrentQueue<(string Key, IFormCollection Form)> Refunds { get; } = new();

    /// <summary>The Idempotency-Key of every create request, replays included, in order.</summary>
    public ConcurrentQueue<string> IdempotencyKeys { get; } = new();

    /// <summary>The form of every create request, in order.</summary>
    public ConcurrentQueue<IFormCollection> Creates { get; } = new();

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Billing:Payments:Provider"] = "stripe",
        ["Billing:Payments:Stripe:SecretKey"] = SecretKey,
        ["Billing:Payments:Stripe:ApiBase"] = ApiBase,
        ["Billing:Payments:Stripe:MaxNetworkRetries"] = "0",
    };

    /// <summary><see cref="Settings"/> with the webhook endpoint's signing secret.</summary>
    public IReadOnlyDictionary<string, string> SettingsWith(string webhookSecret) =>
        new Dictionary<string, string>(Settings) { ["Billing:Payments:Stripe:WebhookSecret"] = webhookSecret };

    public static async Task<StripeStandIn> StartAsync()
    {
        var standIn = new StripeStandIn(LoopbackHttp.Create());
        standIn.app.MapPost("/v1/payment_intents", (Delegate)standIn.CreateAsync);
        standIn.app.MapGet("/v1/payment_intents/{id}", (string id) => standIn.intents.TryGetValue(id, out var intent)
            ? Results.Content(intent.ToJsonString(), "application/json")
            : Error(404, "invalid_request_error", "resource_missing", null, $"No such payment_intent: '{id}'"));
        standIn.app.MapPost("/v1/refunds", (Delegate)standIn.RefundAsync);
        standIn.app.MapPost("/v1/customers", (Delegate)standIn.CreateCustomerAsync);
        standIn.app.MapPost("/v1/payment_methods/{id}/attach", (Delegate)standIn.AttachAsync);
        standIn.app.MapPost("/v1/setup_intents", (Delegate)standIn.CreateSetupIntentAsync);
        await standIn.app.StartAsync();
        return standIn;
    }

    /// <summary>A PaymentIntent that succeeded (as if charged off-session for an invoice), for refund tests.</summary>
    public string AddSucceededIntent(long amountMinor, string currency)
    {
        var id = $"pi_standin_{Interlocked.Increment(ref created):D6}";
        intents[id] = new JsonObject { ["id"] = id, ["object"] = "payment_intent", ["amount"] = amountMinor, ["currency"] = currency, ["status"] = "succeeded", ["livemode"] = false };
        return id;
    }

    /// <summary>The next <paramref name="count"/> create or refund requests answer 500 without creating anything.</summary>
    public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

    /// <summary>
    /// The next PaymentIntent is created (the money is taken) but its answer is lost: the connection
    /// drops, as when the silo dies before it reads the answer. An idempotent retry gets the answer.
    /// </summary>
    public void LoseNextAnswer() => Volatile.Write(ref answersToLose, 1);

    /// <summary>
    /// The next PaymentIntent is created (the money is taken) and its answer held back until the
    /// caller's connection drops, at most <see cref="MaxHold"/>: the call in flight that a silo
    /// killed after Stripe's success leaves behind. The task completes once the intent is recorded
    /// and the answer held. An idempotent retry gets the answer.
    /// </summary>
    public Task HoldNextAnswer()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref answerToHold, held);
        return held.Task;
    }

    /// <summary>The PaymentIntent as Stripe shows it now (e.g. for a webhook's payload).</summary>
    public JsonObject Intent(string intentId) => (JsonObject)intents[intentId].DeepClone();

    /// <summary>Customers created (idempotent replays excluded).</summary>
    public int CustomersCreated => Volatile.Read(ref customersCreated);

    /// <summary>The customer finished 3-D Secure in Stripe.js: the PaymentIntent succeeds.</summary>
    public void CompleteAuthentication(string intentId)
    {
        var intent = intents[intentId];
        intent["status"] = "succeeded";
        intent["next_action"] = null;
    }

    public async ValueTask DisposeAsync()
    {
        // A held answer whose caller is still there (a test that failed before its kill) ends now, not at the server's shutdown timeout.
        await stopping.CancelAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        if (Unauthorized(http) is { } unauthorized)
        {
            return unauthorized;
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        IdempotencyKeys.Enqueue(key);
        if (Replay(http, key) is { } replay)
        {
            return replay;
        }

        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            return Error(500, "api_error", null, null, "An unknown error occurred.");
        }

        var form = await http.Request.ReadFormAsync();
        Creates.Enqueue(form);
        var (status, body) = Charge(form);
        replies[key] = (status, body);
        if (Interlocked.Exchange(ref answersToLose, 0) == 1)
        {
            http.Abort();
            return Results.Empty;
        }

        if (Interlocked.Exchange(ref answerToHold, null) is { } held)
        {
            held.SetResult();
            await HoldUntilAbortedAsync(http);
            return Results.Empty;
        }

        return Results.Content(body, "application/json", statusCode: status);
    }

    private async Task HoldUntilAbortedAsync(HttpContext http)
    {
        using var abortedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping.Token);
        try
        {
            await Task.Delay(MaxHold, abortedOrStopping.Token);
        }
        catch (OperationCanceledException)
        {
            // The caller is gone (killed), or the stand-in stops: nobody will read this answer.
        }

        http.Abort();
    }

    private async Task<IResult> CreateCustomerAsync(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (replies.TryGetValue(key, out var earlier))
        {
            return Results.Content(earlier.Body, "application/json", statusCode: earlier.Status);
        }

        var form = await http.Request.ReadFormAsync();
        var body = new JsonObject { ["id"] = $"cus_standin_{Interlocked.Increment(ref customersCreated):D6}", ["object"] = "customer", ["email"] = form["email"].ToString() }.ToJsonString();
        replies[key] = (200, body);
        return Results.Content(body, "application/json");
    }

    // Stripe's test payment methods on attaching: the declining cards are declined here already; 0341 attaches and fails when charged.
    private async Task<IResult> AttachAsync(string id, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var (brand, last4) = id switch
        {
            "pm_card_visa" => ("visa", "4242"),
            "pm_card_chargeCustomerFail" => ("visa", "0341"),
            "pm_card_chargeDeclined" => (null, null),
            _ => ("unknown", "0000"),
        };
        if (brand is null)
        {
            return Results.Content(ErrorBody("card_error", "card_declined", "generic_decline", "Your card was declined.", null), "application/json", statusCode: 402);
        }

        return Results.Content(new JsonObject
        {
            ["id"] = id, ["object"] = "payment_method", ["type"] = "card", ["customer"] = form["customer"].ToString(),
            ["card"] = new JsonObject { ["brand"] = brand, ["last4"] = last4, ["exp_month"] = 12, ["exp_year"] = 2034 },
        }.ToJsonString(), "application/json");
    }

    private async Task<IResult> RefundAsync(HttpContext http)
    {
        if (Unauthorized(http) is { } unauthorized)
        {
            return unauthorized;
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var form = await http.Request.ReadFormAsync();
        Refunds.Enqueue((key, form));
        if (Replay(http, key) is { } replay)
        {
            return replay;
        }

        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            return Error(500, "api_error", null, null, "An unknown error occurred.");
        }

        var (status, body) = Refund(form["payment_intent"].ToString(), long.Parse(form["amount"]!, System.Globalization.CultureInfo.InvariantCulture));
        replies[key] = (status, body);
        return Results.Content(body, "application/json", statusCode: status);
    }

    private (int Status, string Body) Refund(string intentId, long amount)
    {
        if (!intents.TryGetValue(intentId, out var intent) || intent["status"]!.GetValue<string>() != "succeeded")
        {
            return (400, ErrorBody("invalid_request_error", "resource_missing", null, $"No such payment_intent: '{intentId}'", null));
        }

        var left = intent["amount"]!.GetValue<long>() - refunded.GetValueOrDefault(intentId);
        if (amount > left)
        {
            return (400, ErrorBody("invalid_request_error", left == 0 ? "charge_already_refunded" : "amount_too_large", null, $"Refund amount ({amount}) is greater than unrefunded amount ({left}).", null));
        }

        refunded.AddOrUpdate(intentId, amount, (_, before) => before + amount);
        var id = $"re_standin_{Interlocked.Increment(ref refundsCreated):D6}";
        return (200, new JsonObject
        {
            ["id"] = id, ["object"] = "refund", ["amount"] = amount, ["currency"] = intent["currency"]!.GetValue<string>(), ["payment_intent"] = intentId,
            ["status"] = "succeeded",
        }.ToJsonString());
    }

    private (int Status, string Body) Charge(IFormCollection form)
    {
        var id = $"pi_standin_{Interlocked.Increment(ref created):D6}";
        var intent = new JsonObject
        {
            ["id"] = id, ["object"] = "payment_intent", ["amount"] = long.Parse(form["amount"]!, System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = form["currency"].ToString(), ["payment_method"] = form["payment_method"].ToString(), ["status"] = "succeeded",
            ["client_secret"] = $"{id}_secret_standin", ["livemode"] = false, ["customer"] = form["customer"].ToString(), ["metadata"] = Metadata(form),
        };
        intents[id] = intent;
        switch (form["payment_method"].ToString())
        {
            case "pm_card_visa":
                return (200, intent.ToJsonString());
            case var method when IsSepaMethod(method):
                // A SEPA debit is submitted to the bank: it stays processing until the bank answers (Settle).
                intent["status"] = "processing";
                return (200, intent.ToJsonString());
            case "pm_card_authenticationRequired":
                intent["status"] = "requires_action";
                intent["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk" };
                return (200, intent.ToJsonString());
            case "pm_card_chargeDeclined" or "pm_card_chargeCustomerFail":
                return Declined(intent, "generic_decline");
            case "pm_card_chargeDeclinedInsufficientFunds":
                return Declined(intent, "insufficient_funds");
            default:
                intents.TryRemove(id, out _);
                return (400, ErrorBody("invalid_request_error", "resource_missing", null, $"No such PaymentMethod: '{form["payment_method"]}'", null));
        }
    }

    // Stripe.net sends metadata as metadata[key]=value.
    private static JsonObject Metadata(IFormCollection form)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal) && f.Key.EndsWith(']')))
        {
            metadata[name["metadata[".Length..^1]] = value.ToString();
        }

        return metadata;
    }

    private static (int, string) Declined(JsonObject intent, string declineCode)
    {
        intent["status"] = "requires_payment_method";
        var error = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = declineCode, ["message"] = "Your card was declined." };
        intent["last_payment_error"] = error.DeepClone();
        return (402, ErrorBody("card_error", "card_declined", declineCode, "Your card was declined.", intent));
    }

    private static IResult? Unauthorized(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() == $"Bearer {SecretKey}" ? null : Error(401, "invalid_request_error", null, null, "Invalid API Key provided.");

    // A repeated Idempotency-Key is answered with the first answer, as Stripe does.
    private IResult? Replay(HttpContext http, string key)
    {
        if (!replies.TryGetValue(key, out var earlier))
        {
            return null;
        }

        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Content(earlier.Body, "application/json", statusCode: earlier.Status);
    }

    private static IResult Error(int status, string type, string? code, string? declineCode, string message) =>
        Results.Content(ErrorBody(type, code, declineCode, message, null), "application/json", statusCode: status);

    private static string ErrorBody(string type, string? code, string? declineCode, string message, JsonObject? intent) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["type"] = type, ["code"] = code, ["decline_code"] = declineCode, ["message"] = message,
                ["payment_intent"] = intent?.DeepClone(),
            },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
