using Billing.Contracts.Metering;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// <c>POST /api/v1/loadtest/parse</c>: reads and parses a consume body and answers, nothing more.
/// <c>billing loadtest</c> measures it beside the real consume path to show what metering costs
/// over the bare HTTP + JSON floor of the same machine. Off with <c>Billing:LoadTest:BareEndpointEnabled=false</c>.
/// </summary>
public static class LoadTestApi
{
    public static IEndpointRouteBuilder MapLoadTestApi(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        if (configuration.GetValue("Billing:LoadTest:BareEndpointEnabled", defaultValue: true))
        {
            routes.MapPost("/api/v1/loadtest/parse", (ConsumeRequest request) => TypedResults.Ok(new ParseOnlyResponse(request.Tokens)))
                .WithName("LoadTestParseOnly");
        }

        return routes;
    }
}
