using Billing.Silo.Api;
using Billing.Silo.Api.Docs;
using Orleans.Runtime;

namespace Billing.Silo.Dashboard;

/// <summary>
/// <c>RequireKnownSilo()</c>: the Orleans dashboard's per-silo endpoints (<c>/dashboard/SiloStats/{address}</c>,
/// <c>/dashboard/HistoricalStats/{address}</c>, …) parse the address and call that silo unchecked, so a
/// malformed or unknown address was a 500 (found by the API fuzz test). It is 404 <c>silo_not_found</c>.
/// </summary>
public static class DashboardSiloFilter
{
    // The dashboard's routes whose one route value is a silo address; its fonts/{**path} and img/{**path} are files.
    private static readonly string[] SiloRoutes =
        [.. new[] { "HistoricalStats", "SiloProperties", "SiloMetadata", "SiloStats", "SiloCounters" }.Select(r => $"{DashboardPaths.Root}/{r}/")];

    public static TBuilder RequireKnownSilo<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status404NotFound, "silo_not_found").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var path = http.Request.Path.Value ?? "";
            if (SiloRoutes.Any(r => path.StartsWith(r, StringComparison.OrdinalIgnoreCase))
                && (http.GetRouteValue("address") ?? http.GetRouteValue("path")) is string address
                && !IsMember(http.RequestServices, address))
            {
                return ApiProblem.NotFound("silo_not_found", "silo", address);
            }

            return await next(context);
        });

    private static bool IsMember(IServiceProvider services, string address) =>
        SiloAddress.TryParse(address, out var silo)
        && services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.ContainsKey(silo);
}
