using System.Globalization;
using Billing.Domain;

namespace Billing.Silo.Api;

/// <summary>The <c>?limit=</c> and <c>?after=</c> of a list endpoint that pages by id in creation order.</summary>
public static class PageQuery
{
    public const int DefaultPageSize = 100;

    /// <summary>The page size (1..<paramref name="maxPageSize"/>, default 100), or a 400 <c>invalid_query</c>; <paramref name="after"/> must be an id of <paramref name="idKind"/>.</summary>
    public static (int PageSize, IResult? Problem) Parse(string? limit, string? after, int maxPageSize, string idKind, string noun)
    {
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxPageSize))
        {
            return (0, Invalid($"limit must be a whole number from 1 to {maxPageSize}."));
        }

        return after is not null && !CatalogIds.IsWellFormed(after, idKind)
            ? (0, Invalid($"after must be a {noun} id, as given in next_after."))
            : (pageSize, null);
    }

    private static IResult Invalid(string detail) => ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", detail);
}
