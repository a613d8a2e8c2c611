using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// SEPA Direct Debit at the stand-in, shaped by Stripe's SetupIntent and PaymentMethod objects: a
/// SetupIntent created and confirmed in one call with <c>payment_method_data[type]=sepa_debit</c>
/// and an offline <c>mandate_data</c> succeeds at once with a new sepa_debit PaymentMethod attached
/// to the customer and a multi-use mandate; a PaymentIntent on that method is <c>processing</c>
/// until <see cref="Settle"/> (the bank's answer, days later at Stripe).
/// </summary>
internal sealed partial class StripeStandIn
{
    private readonly ConcurrentDictionary<string, JsonObject> sepaMethods = new(StringComparer.Ordinal);
    private int setupIntentsCreated;

    /// <summary>The Idempotency-Key and form of every SetupIntent request, replays included, in order.</summary>
    public ConcurrentQueue<(string Key, IFormCollection Form)> SetupIntents { get; } = new();

    /// <summary>SetupIntents created (idempotent replays and refused requests excluded).</summary>
    public int SetupIntentsCreated => Volatile.Read(ref setupIntentsCreated);

    /// <summary>The bank took the debit: the processing PaymentIntent succeeds. Answers it as Stripe shows it now.</summary>
    public JsonObject Settle(string intentId)
    {
        var intent = intents[intentId];
        Assert.Equal("processing", intent["status"]!.GetValue<string>());
        intent["status"] = "succeeded";
        return Intent(intentId);
    }

    private bool IsSepaMethod(string paymentMethodId) => sepaMethods.ContainsKey(paymentMethodId);

    private async Task<IResult> CreateSetupIntentAsync(HttpContext http)
    {
        if (Unauthorized(http) is { } unauthorized)
        {
            return unauthorized;
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var form = await http.Request.ReadFormAsync();
        SetupIntents.Enqueue((key, form));
        if (Replay(http, key) is { } replay)
        {
            return replay;
        }

        if (MissingSepaSetupParameter(form) is { } missing)
        {
            return Error(400, "invalid_request_error", "parameter_missing", null, $"Missing required param: {missing}.");
        }

        var n = Interlocked.Increment(ref setupIntentsCreated);
        var methodId = $"pm_standin_sepa_{n:D6}";
        var iban = form["payment_method_data[sepa_debit][iban]"].ToString();
        sepaMethods[methodId] = new JsonObject
        {
            ["id"] = methodId, ["object"] = "payment_method", ["type"] = "sepa_debit", ["customer"] = form["customer"].ToString(),
            ["sepa_debit"] = new JsonObject { ["country"] = iban[..2], ["last4"] = iban[^4..], ["fingerprint"] = $"fp_standin_{n:D6}" },
        };
        var body = new JsonObject
        {
            ["id"] = $"seti_standin_{n:D6}", ["object"] = "setup_intent", ["client_secret"] = $"seti_standin_{n:D6}_secret_standin",
            ["customer"] = form["customer"].ToString(), ["status"] = "succeeded", ["usage"] = "off_session", ["livemode"] = false,
            ["payment_method"] = methodId, ["mandate"] = $"mandate_standin_{n:D6}", ["latest_attempt"] = $"setatt_standin_{n:D6}",
            ["allowed_payment_method_types"] = new JsonArray("sepa_debit"), ["payment_method_types"] = new JsonArray("sepa_debit"), ["last_setup_error"] = null, ["next_action"] = null, ["metadata"] = new JsonObject(),
        }.ToJsonString();
        replies[key] = (200, body);
        return Results.Content(body, "application/json");
    }

    // What Stripe needs to set up a mandate for off-session debits without the customer present.
    private static string? MissingSepaSetupParameter(IFormCollection form) =>
        new (string Name, string Expected)[]
        {
            ("confirm", "true"), ("usage", "off_session"), ("allowed_payment_method_types[0]", "sepa_debit"), ("payment_method_data[type]", "sepa_debit"),
            ("mandate_data[customer_acceptance][type]", "offline"),
        }.Where(p => form[p.Name].ToString() != p.Expected).Select(p => p.Name)
        .Concat(new[] { "customer", "payment_method_data[sepa_debit][iban]", "payment_method_data[billing_details][name]" }.Where(name => string.IsNullOrEmpty(form[name])))
        .FirstOrDefault();
}
