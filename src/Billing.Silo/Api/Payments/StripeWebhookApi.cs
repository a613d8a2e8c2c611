using System.Text;
using System.Text.Json;
using Billing.Silo.Api.Docs;
using Billing.Silo.Payments;

namespace Billing.Silo.Api.Payments;

/// <summary><c>POST /api/v1/webhooks/stripe</c>: no key; Stripe's signature over the raw body is the authentication.</summary>
public static class StripeWebhookApi
{
    /// <summary>Stripe's events are a few KiB; a body beyond this is not Stripe's.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/webhooks/stripe", ReceiveAsync).WithName("StripeWebhook")
            .ReadsHeader("Stripe-Signature", required: true, "Stripe's signature over the raw body under Billing:Payments:Stripe:WebhookSecret.")
            .Accepts<JsonElement>("application/json").Produces(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_signature").ProducesProblems(StatusCodes.Status404NotFound, "webhook_not_configured").ProducesProblems(StatusCodes.Status413PayloadTooLarge, "payload_too_large");
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, StripeWebhooks webhooks, CancellationToken cancellationToken)
    {
        if (!webhooks.IsConfigured)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, "webhook_not_configured", "Webhook not configured",
                "Set Billing:Payments:Stripe:WebhookSecret to receive Stripe's events.");
        }

        var body = await RawBody.ReadAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A Stripe event is at most {MaxBodyBytes} bytes here.");
        }

        var json = Encoding.UTF8.GetString(body);
        if (webhooks.Verify(json, http.Request.Headers["Stripe-Signature"].ToString(), out var reason) is not { } stripeEvent)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_signature", "Invalid signature", $"The Stripe-Signature header does not verify: {reason}");
        }

        var outcome = await webhooks.ApplyAsync(stripeEvent, cancellationToken);
        var said = outcome switch
        {
            WebhookOutcome.Applied => "applied",
            WebhookOutcome.AlreadyApplied => "already_applied",
            _ => "ignored",
        };
        return TypedResults.Ok(new { received = true, id = stripeEvent.Id, outcome = said });
    }
}
