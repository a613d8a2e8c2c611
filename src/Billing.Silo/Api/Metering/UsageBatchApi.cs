using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Auth;
using Billing.Silo.Metering;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// <c>POST /api/v1/usage/batch</c>: up to 1,000 consumes in one request, applied in order by one
/// grain call and made durable together; each event gets the answer a single consume would have got.
/// </summary>
internal static class UsageBatchApi
{
    public static async Task<IResult> IngestAsync(HttpContext http, IGrainFactory grains, BackdateWindow backdating, CancellationToken cancellationToken)
    {
        var principal = http.GetApiKeyPrincipal();
        var (batch, problem) = await JsonBody.ReadAsync<UsageBatchRequest>(http.Request, cancellationToken, UsageBatchRequest.MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (batch!.Events is not { Count: > 0 and <= UsageBatchRequest.MaxEvents } events)
        {
            return ApiProblem.Invalid("invalid_batch", "Invalid usage batch", [new FieldError("events", $"events must hold 1 to {UsageBatchRequest.MaxEvents} events")]);
        }

        // A JSON null in the list is valid JSON of the wrong type: the body is refused, naming each one.
        if (NullEvents(events) is { Count: > 0 } nulls)
        {
            return ApiProblem.Invalid("invalid_request", "Invalid usage batch", nulls);
        }

        var firstPeriodStart = await backdating.FirstPeriodStartAsync(principal.ShopId, events.Select(e => e.Request), cancellationToken);
        var results = new UsageBatchResult?[events.Count];
        var commands = new List<ConsumeCommand>(events.Count);
        var positions = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var request = events[i].Request;
            if (MeteringApi.Problems(request, events[i].IdempotencyKey, backdating).Count > 0 || BackdateWindow.CheckNotBeforeShop(request, firstPeriodStart) is not null)
            {
                results[i] = new UsageBatchResult(i, StatusCodes.Status400BadRequest, "invalid_request", null, null, null);
                continue;
            }

            commands.Add(MeteringApi.Command(principal, request, events[i].IdempotencyKey));
            positions.Add(i);
        }

        var outcomes = commands.Count == 0 ? [] : await grains.Subscription(principal.CustomerId).ConsumeBatchAsync(commands);
        for (var j = 0; j < outcomes.Count; j++)
        {
            var (status, code, _) = MeteringApi.Classify(outcomes[j].Outcome);
            results[positions[j]] = new UsageBatchResult(
                positions[j], status, code, outcomes[j].TokensRemaining, outcomes[j].IsAccepted ? outcomes[j].UsedTokens : null, outcomes[j].UsageId);
        }

        var all = results.Select(r => r!).ToList();
        var accepted = all.Count(r => r.Status == StatusCodes.Status200OK);
        return TypedResults.Ok(new UsageBatchResponse(accepted, all.Count - accepted, all));
    }

    private static List<FieldError> NullEvents(IReadOnlyList<UsageBatchEvent?> events)
    {
        var errors = new List<FieldError>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                errors.Add(new FieldError($"events[{i}]", $"events[{i}] must be an event object, not null"));
            }
        }

        return errors;
    }
}
