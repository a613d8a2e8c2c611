using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.Text;

namespace Billing.Domain;

/// <summary>Which alerts to list, newest first: of one kind or all, raised at or after an instant or ever, at most <see cref="Limit"/>.</summary>
public sealed record AlertQuery(string? Kind, Instant? Since, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    private const int MaxShownLength = 40;

    /// <summary>Reads the query string's <c>kind</c>, <c>since</c> (ISO 8601 with Z or an offset) and <c>limit</c> (1..500).</summary>
    public static bool TryCreate(string? kind, string? since, string? limit, [NotNullWhen(true)] out AlertQuery? query, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (kind is not null && !AlertKinds.IsKnown(kind))
        {
            found.Add(new FieldError("kind", $"kind '{ShownText.Clip(kind, MaxShownLength)}' is not {AlertKinds.CostDaily}, {AlertKinds.CostWeekly}, {AlertKinds.CostCustomerDaily} or token_<percent>"));
        }

        Instant? from = null;
        if (since is not null)
        {
            var parsed = OffsetDateTimePattern.ExtendedIso.Parse(since);
            from = parsed.Success ? parsed.Value.ToInstant() : null;
            if (from is null)
            {
                found.Add(new FieldError("since", $"since '{ShownText.Clip(since, MaxShownLength)}' is not an ISO 8601 instant such as 2026-11-21T00:00:00Z"));
            }
        }

        if (!ListLimit.TryParse(limit, DefaultLimit, MaxLimit, out var count, out var limitError))
        {
            found.Add(limitError);
        }

        query = found.Count == 0 ? new AlertQuery(kind, from, count) : null;
        errors = found;
        return query is not null;
    }
}
