using Billing.Domain;

namespace Billing.Silo.Api;

/// <summary>The <c>?limit=</c> and <c>?after=</c> of a list endpoint that pages by id in creation order.</summary>
public static class PageQuery
{
    public const int DefaultPageSize = 100;

    /// <summary>The page size (1..<paramref name="maxPageSize"/>, default 100), or a 400 <c>invalid_query</c>; <paramref name="after"/> must be an id of <paramref name="idKind"/>.</summary>
    public static (int PageSize, IResult? Problem) Parse(string? limit, string? after, int maxPageSize, string idKind, string noun)
    {
        if (!ListLimit.TryParse(limit, DefaultPageSize, maxPageSize, out var pageSize, out var limitError))
        {
            return (0, Invalid(ApiProblem.Detail([limitError])));
        }

        return after is not null && !CatalogIds.IsWellFormed(after, idKind)
            ? (0, Invalid($"after must be a {noun} id, as given in next_after."))
            : (pageSize, null);
    }

    /// <summary>400 <c>invalid_query</c> unless <paramref name="id"/> (a filter such as <c>?shop_id=</c>) is absent or an id of <paramref name="idKind"/>.</summary>
    public static IResult? CheckIdFilter(string? id, string idKind, string field, string noun) =>
        id is not null && !CatalogIds.IsWellFormed(id, idKind) ? Invalid($"{field} must be a {noun} id.") : null;

    /// <summary>400 <c>invalid_query</c> with <paramref name="detail"/>.</summary>
    public static IResult Invalid(string detail) => ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", detail);
}
