using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Email;

namespace Billing.Silo.Api;

/// <summary><c>GET /api/v1/admin/emails</c>: the e-mail outbox, newest first, without bodies, behind the admin key.</summary>
public static class EmailApi
{
    public const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapEmailApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/emails", ListAsync).WithName("ListEmails")
            .Produces<EmailPageResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        return routes;
    }

    /// <summary><c>status</c> (pending, sent, failed), <c>limit</c> 1..500 (100), <c>after</c> (the <c>next_after</c> of the previous page).</summary>
    private static async Task<IResult> ListAsync(string? status, string? limit, string? after, EmailOutbox outbox, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (status is not null && !EmailStatus.IsKnown(status))
        {
            errors.Add(new FieldError("status", $"status must be {EmailStatus.Pending}, {EmailStatus.Sent} or {EmailStatus.Failed}"));
        }

        if (!ListLimit.TryParse(limit, DefaultPageSize, EmailOutbox.MaxPageSize, out var pageSize, out var limitError))
        {
            errors.Add(limitError);
        }

        if (after is not null && !(after.Length == 32 && after.All(char.IsAsciiHexDigitLower)))
        {
            errors.Add(new FieldError("after", "after must be an e-mail id, as given in next_after"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_query", "Invalid query", errors);
        }

        var page = await outbox.ListAsync(status, after, pageSize + 1, cancellationToken);
        var shown = page.Take(pageSize).Select(EmailResponse.From).ToList();
        return Results.Ok(new EmailPageResponse(shown, page.Count > pageSize ? shown[^1].Id : null));
    }
}

public sealed record EmailPageResponse(IReadOnlyList<EmailResponse> Emails, string? NextAfter);

public sealed record EmailResponse(
    string Id, string Kind, string DedupeKey, string Recipient, string? Subject, string? InvoiceId, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    public static EmailResponse From(EmailOutboxEntry e) => new(
        e.Id, e.Kind, e.DedupeKey, e.Recipient, e.Subject, e.InvoiceId, e.Status, e.Attempts,
        e.Status == EmailStatus.Pending ? e.NextAttemptAt : null, e.LastError, e.CreatedAt, e.SentAt);
}
