using System.Text;
using Billing.Silo.Payments;

namespace Billing.Silo.Api.Payments;

/// <summary><c>POST /api/v1/webhooks/stripe</c>: no key; Stripe's signature over the raw body is the authentication.</summary>
public static class StripeWebhookApi
{
    /// <summary>Stripe's events are a few KiB; a body beyond this is not Stripe's.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/webhooks/stripe", ReceiveAsync).WithName("StripeWebhook");
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, StripeWebhooks webhooks, CancellationToken cancellationToken)
    {
        if (!webhooks.IsConfigured)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, "webhook_not_configured", "Webhook not configured",
                "Set Billing:Payments:Stripe:WebhookSecret to receive Stripe's events.");
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A Stripe event is at most {MaxBodyBytes} bytes here.");
        }

        var json = await ReadBodyAsync(http.Request, cancellationToken);
        if (json is null)
        {
            return ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A Stripe event is at most {MaxBodyBytes} bytes here.");
        }

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

    // The signature covers the exact bytes: read them as sent, within the limit, whatever the Content-Length said.
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
