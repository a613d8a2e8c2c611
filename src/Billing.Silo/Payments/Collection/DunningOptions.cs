using Billing.Domain.Payments;

namespace Billing.Silo.Payments.Collection;

/// <summary>How unpaid invoices are chased (section <c>Billing:Dunning</c>).</summary>
public sealed class DunningOptions
{
    public const string SectionName = "Billing:Dunning";
    public const int MaxAttemptRetryMinutes = 24 * 60;
    public const int MaxProcessingCheckHours = 14 * 24;

    /// <summary>
    /// Days after the first failed collection on which it is retried; when the last retry fails, the
    /// customer is suspended. Unset: 1, 3, 5, 7. (No initial value here: the configuration binder
    /// appends a configured array to an initial one instead of replacing it.)
    /// </summary>
    public int[]? RetryDays { get; set; }

    /// <summary>
    /// When an attempt could not ask the provider at all (an outage), or a silo died during it: the
    /// collection's reminder comes back this often until the attempt has an answer. Orleans' shortest reminder period is a minute.
    /// </summary>
    public int AttemptRetryMinutes { get; set; } = 10;

    /// <summary>A debit the provider accepted but has not settled (SEPA takes days) is asked about again after this long, unless its webhook comes first.</summary>
    public int ProcessingCheckHours { get; set; } = 24;

    public DunningSchedule Schedule => RetryDays is null ? DunningSchedule.Default : DunningSchedule.Create(RetryDays);

    public IEnumerable<string> Validate()
    {
        if (RetryDays is not null && !DunningSchedule.TryCreate(RetryDays, out _, out var reason))
        {
            yield return $"Billing:Dunning:RetryDays: {reason}.";
        }

        if (AttemptRetryMinutes is < 1 or > MaxAttemptRetryMinutes)
        {
            yield return $"Billing:Dunning:AttemptRetryMinutes must be 1..{MaxAttemptRetryMinutes} (got {AttemptRetryMinutes}).";
        }

        if (ProcessingCheckHours is < 1 or > MaxProcessingCheckHours)
        {
            yield return $"Billing:Dunning:ProcessingCheckHours must be 1..{MaxProcessingCheckHours} (got {ProcessingCheckHours}).";
        }
    }
}
