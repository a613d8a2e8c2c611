using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Billing.Contracts.Runs;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Seed 002's GitHub trigger, <c>POST /api/billing-scheduler/github-webhook</c>: no admin key, the
/// <c>X-Hub-Signature-256</c> HMAC over the raw body with <c>Billing:GitHub:WebhookSecret</c> is
/// the authentication. A <c>workflow_dispatch</c> (its <c>inputs</c>) or <c>repository_dispatch</c>
/// (its <c>client_payload</c>) starts a billing run: <c>dry_run</c>, <c>shop_ids</c> (comma-separated
/// or a list) and <c>period</c> (default the previous month), answered 202 at once (GitHub waits 10 s
/// at most). A redelivery starts a second run, which invoices nothing twice. <c>ping</c> is answered;
/// other events are acknowledged and ignored.
/// </summary>
public static class GitHubWebhookApi
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapGitHubWebhookApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/billing-scheduler/github-webhook", ReceiveAsync).WithName("GitHubWebhook")
            .ReadsHeader("X-Hub-Signature-256", required: true, "sha256= and the HMAC-SHA256 of the raw body under Billing:GitHub:WebhookSecret.")
            .ReadsHeader("X-GitHub-Event", required: true, "workflow_dispatch or repository_dispatch starts a run; ping is answered; others are ignored.")
            .Accepts<JsonElement>("application/json").Produces<RunStartedResponse>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_signature", "invalid_billing_request").ProducesProblems(StatusCodes.Status404NotFound, "webhook_not_configured")
            .ProducesProblems(StatusCodes.Status413PayloadTooLarge, "payload_too_large").ProducesProblems(StatusCodes.Status429TooManyRequests, "run_limit_reached");
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, BillingRunner runner, IOptions<GitHubOptions> github, IOptions<BillingRunOptions> runs, IOptions<BillingOptions> billing, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (github.Value.WebhookSecret is not { } secret)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, "webhook_not_configured", "Webhook not configured", "Set Billing:GitHub:WebhookSecret to receive GitHub's webhooks.");
        }

        var body = await RawBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A webhook is at most {MaxBodyBytes} bytes here.");
        }

        if (!SignatureMatches(body, request.Headers["X-Hub-Signature-256"].ToString(), secret))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_signature", "Invalid signature", "X-Hub-Signature-256 does not match the body under the configured secret.");
        }

        var gitHubEvent = request.Headers["X-GitHub-Event"].ToString();
        if (gitHubEvent == "ping")
        {
            return TypedResults.Ok(new { received = true, outcome = "pong" });
        }

        if (gitHubEvent is not ("workflow_dispatch" or "repository_dispatch"))
        {
            return TypedResults.Ok(new { received = true, outcome = "ignored" });
        }

        var errors = new List<FieldError>();
        var (dryRun, shopIds, period) = ReadInputs(errors, body, gitHubEvent == "workflow_dispatch" ? "inputs" : "client_payload");
        var month = errors.Count == 0 ? BillingSchedulerApi.ParsePeriod(errors, period, billing.Value, time) : null;
        var shops = errors.Count == 0 ? BillingSchedulerApi.CheckShopIds(errors, shopIds, runs.Value.MaxShopIdsPerRequest) : null;
        return errors.Count > 0
            ? ApiProblem.Invalid("invalid_billing_request", "The billing request is invalid", errors)
            : await BillingSchedulerApi.StartAsync(runner, new RunRequest(shops, month!.Value, dryRun, RunTrigger.Github), wait: false, cancellationToken);
    }

    /// <summary>GitHub's scheme: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body, compared in constant time.</summary>
    public static bool SignatureMatches(byte[] body, string header, string secret)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(header.AsSpan(prefix.Length)));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // Workflow inputs are strings ("true", "shop_a,shop_b", ""); a repository_dispatch payload may use booleans and lists.
    private static (bool DryRun, IReadOnlyList<string>? ShopIds, string? Period) ReadInputs(List<FieldError> errors, byte[] body, string member)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty(member, out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                return (false, null, null);
            }

            var dryRun = inputs.TryGetProperty("dry_run", out var d) && (d.ValueKind == JsonValueKind.True || (d.ValueKind == JsonValueKind.String && d.GetString() == "true"));
            IReadOnlyList<string>? shops = inputs.TryGetProperty("shop_ids", out var s) ? s.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(s.GetString()) => s.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                JsonValueKind.Array => [.. s.EnumerateArray().Select(e => e.GetString() ?? string.Empty)],
                _ => null,
            } : null;
            var period = inputs.TryGetProperty("period", out var p) && p.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.GetString()) ? p.GetString() : null;
            return (dryRun, shops, period);
        }
        catch (JsonException)
        {
            errors.Add(new FieldError("body", "the webhook's body is not JSON (set the webhook's content type to application/json)"));
            return (false, null, null);
        }
    }
}
