using System.Globalization;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Audit;

namespace Billing.Silo.Api;

/// <summary>One audit row as the API shows it; <c>before</c> and <c>after</c> are the JSON as stored (secrets removed).</summary>
public sealed record AuditEntryResponse(
    long Seq, DateTimeOffset At, AuditActor Actor, string Action, string ResourceType, string? ResourceId, JsonElement? Before, JsonElement? After);

/// <summary>A page of the audit log, newest first; pass <c>next_cursor</c> as <c>cursor</c> for older rows (null on the last page).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Entries, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/admin/audit</c> (any operator role): the audit log, newest first, filtered by
/// <c>resource</c> (a resource id), <c>actor</c> (an operator key id, <c>admin_key</c>, an API key id
/// or <c>system</c>), <c>action</c>, <c>from</c> (inclusive) and <c>to</c> (exclusive) instants, and paged by <c>limit</c> and <c>cursor</c>.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/admin").RequireAdminKey().MapGet("/audit", ReadAsync).WithName("AdminReadAudit");
        return routes;
    }

    private static async Task<IResult> ReadAsync(
        string? resource, string? actor, string? action, string? from, string? to, string? limit, string? cursor, AuditLog log, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!ListLimit.TryParse(limit, PageQuery.DefaultPageSize, AuditLog.MaxPageSize, out var pageSize, out var limitError))
        {
            errors.Add(limitError);
        }

        var fromAt = ParseInstant(from, "from", errors);
        var toAt = ParseInstant(to, "to", errors);
        long? before = null;
        if (cursor is not null)
        {
            before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0 ? seq : null;
            if (before is null) errors.Add(new FieldError("cursor", "cursor must be a next_cursor from an earlier page"));
        }

        foreach (var (field, text) in new[] { ("resource", resource), ("actor", actor), ("action", action) })
        {
            if (text is { Length: 0 or > AuditLog.MaxTextLength }) errors.Add(new FieldError(field, $"{field} must be 1 to {AuditLog.MaxTextLength} characters"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_query", "Invalid query", errors);
        }

        var entries = await log.QueryAsync(new AuditQuery(resource, actor, action, fromAt, toAt, before, pageSize), cancellationToken);
        var next = entries.Count == pageSize ? entries[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return Results.Ok(new AuditPage([.. entries.Select(ToResponse)], next));
    }

    /// <summary>An ISO 8601 instant with its offset (<c>2026-12-01T00:00:00Z</c>) or a date, meaning its midnight UTC.</summary>
    private static DateTimeOffset? ParseInstant(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"];
        if (text.Length <= 40 && DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && (text.Length == 10 || text.EndsWith('Z') || text[^6] is '+' or '-'))
        {
            return at;
        }

        errors.Add(new FieldError(field, $"{field} must be an ISO 8601 instant such as 2026-12-01T00:00:00Z, or a date"));
        return null;
    }

    private static AuditEntryResponse ToResponse(AuditEntry entry) =>
        new(entry.Seq, entry.At, entry.Actor, entry.Action, entry.ResourceType, entry.ResourceId, Parse(entry.BeforeJson), Parse(entry.AfterJson));

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
