namespace Billing.Domain;

/// <summary>
/// Where a billing period stands with payment. <see cref="Pending"/> covers both an open period
/// (still accruing, not invoiced) and an invoiced one that is not yet due. The values are
/// explicit and start at 1 so an uninitialised status is invalid.
/// </summary>
public enum PeriodStatus
{
    Pending = 1,
    Paid = 2,
    Overdue = 3,
    Waived = 4,
}

/// <summary>The statuses' API and storage names and the transitions allowed between them.</summary>
public static class PeriodStatuses
{
    /// <summary>pending → paid | overdue | waived; overdue → paid | waived; paid and waived are final.</summary>
    public static bool IsAllowed(PeriodStatus from, PeriodStatus to) => (from, to) switch
    {
        (PeriodStatus.Pending, PeriodStatus.Paid or PeriodStatus.Overdue or PeriodStatus.Waived) => true,
        (PeriodStatus.Overdue, PeriodStatus.Paid or PeriodStatus.Waived) => true,
        _ => false,
    };

    public static bool IsFinal(this PeriodStatus status) => status is PeriodStatus.Paid or PeriodStatus.Waived;

    public static string ToText(this PeriodStatus status) => ApiNames<PeriodStatus>.Of(status);

    /// <summary>Parses "pending", "paid", "overdue" or "waived" (any case, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out PeriodStatus status) => ApiNames<PeriodStatus>.TryParse(text, out status);

    public static PeriodStatus Parse(string text) => ApiNames<PeriodStatus>.Parse(text, "period status");
}
