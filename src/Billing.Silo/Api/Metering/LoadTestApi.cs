using Billing.Silo.Audit;
using Billing.Contracts.Metering;
using Billing.Silo.Api.Docs;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// <c>POST /api/v1/loadtest/parse</c>: reads and parses a consume body and answers, nothing more.
/// <c>billing loadtest</c> measures it beside the real consume path to show what metering costs
/// over the bare HTTP + JSON floor of the same machine. Off unless <c>Billing:LoadTest:BareEndpointEnabled=true</c>;
/// when on, it takes the admin key and reads its body as every endpoint does (<see cref="JsonBody"/>: 64 KiB, the JSON contract).
/// </summary>
public static class LoadTestApi
{
    public static IEndpointRouteBuilder MapLoadTestApi(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        var options = configuration.GetSection(LoadTestOptions.SectionName).Get<LoadTestOptions>() ?? new LoadTestOptions();
        if (options.BareEndpointEnabled)
        {
            routes.MapPost("/api/v1/loadtest/parse", ParseAsync).RequireAdminKey().WithoutAudit().WithName("LoadTestParseOnly")
                .AcceptsJson<ConsumeRequest>().Produces<ParseOnlyResponse>();
        }

        return routes;
    }

    private static async Task<IResult> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ConsumeRequest>(request, cancellationToken);
        return problem ?? TypedResults.Ok(new ParseOnlyResponse(body!.Tokens));
    }
}

/// <summary>Section <c>Billing:LoadTest</c>: what only a load test needs, all off in production.</summary>
public sealed class LoadTestOptions
{
    public const string SectionName = "Billing:LoadTest";

    /// <summary>Maps <c>POST /api/v1/loadtest/parse</c> (admin key) for <c>billing loadtest</c>'s bare phase.</summary>
    public bool BareEndpointEnabled { get; set; }
}
