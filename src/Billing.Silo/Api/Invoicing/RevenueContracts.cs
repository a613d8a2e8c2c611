using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>The body of <c>POST /api/v1/usage/revenue</c>: 1..<see cref="MaxEvents"/> sales.</summary>
public sealed record RevenueBatchRequest(IReadOnlyList<RevenueEventDraft?>? Events)
{
    public const int MaxEvents = 1_000;

    /// <summary>A thousand events of bounded fields fit well within this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}

/// <summary>
/// What became of one sale: <c>outcome</c> recorded (201), duplicate, updated or credited (200: a refund
/// of a sale already invoiced, credited on the next invoice), or rejected
/// with <c>status</c> 400 (<c>invalid_revenue_event</c>, with per-field <c>errors</c>), 409
/// (<c>order_already_invoiced</c>) or 422 (<c>order_amount_conflict</c>).
/// </summary>
public sealed record RevenueEventResult(
    int Index,
    string? OrderId,
    int Status,
    string Outcome,
    string? Code,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors);

public sealed record RevenueBatchResponse(int Recorded, int Updated, int Duplicates, int Rejected, int Credited, IReadOnlyList<RevenueEventResult> Results);
