using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Billing.Domain.Payments;

/// <summary>
/// When to retry a failed collection, and when to give up: retries fall on the listed days after
/// the first failure (e.g. 1, 3, 5, 7), and when the last retry fails too the customer is
/// suspended. Days are whole 24-hour spans from the failure's instant, not calendar days, so a
/// retry never lands at a time that does not exist in the customer's zone and DST changes nothing.
/// </summary>
public sealed class DunningSchedule
{
    public const int MaxRetries = 10;
    public const int MaxRetryDay = 90;

    /// <summary>The retry days configuration and the API use, for messages.</summary>
    public const string RetryDaysField = "retry_days";

    private DunningSchedule(int[] retryDays) => RetryDays = Array.AsReadOnly(retryDays);

    /// <summary>Retries one, three, five and seven days after the first failure.</summary>
    public static DunningSchedule Default { get; } = Create([1, 3, 5, 7]);

    /// <summary>Days after the first failure, strictly ascending, each 1..<see cref="MaxRetryDay"/>.</summary>
    public IReadOnlyList<int> RetryDays { get; }

    /// <summary>Throws <see cref="ArgumentException"/> with the reason <see cref="TryCreate"/> gives.</summary>
    public static DunningSchedule Create(IReadOnlyList<int> retryDays) =>
        TryCreate(retryDays, out var schedule, out var reason) ? schedule : throw new ArgumentException(reason, nameof(retryDays));

    public static bool TryCreate(
        IReadOnlyList<int>? retryDays, [NotNullWhen(true)] out DunningSchedule? schedule, [NotNullWhen(false)] out string? reason)
    {
        schedule = null;
        reason = retryDays switch
        {
            null or { Count: 0 } => $"{RetryDaysField} must list at least one day",
            { Count: > MaxRetries } => $"{RetryDaysField} may list at most {MaxRetries} days (got {retryDays.Count})",
            _ => OrderProblem(retryDays),
        };
        if (reason is not null)
        {
            return false;
        }

        schedule = new DunningSchedule([.. retryDays!]);
        return true;
    }

    /// <summary>
    /// What follows <paramref name="failedAttempts"/> failed collections (the first one included,
    /// so at least 1) of a charge that first failed at <paramref name="firstFailedAt"/>: the next
    /// retry and when it is due, or, once every retry has failed, suspension.
    /// </summary>
    public DunningDecision Next(Instant firstFailedAt, int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var retryIndex = failedAttempts - 1;
        return retryIndex < RetryDays.Count
            ? DunningDecision.RetryAt(retryIndex + 1, firstFailedAt + Duration.FromDays(RetryDays[retryIndex]))
            : DunningDecision.Suspend;
    }

    public override string ToString() => $"retry on days {string.Join(", ", RetryDays)}, then suspend";

    private static string? OrderProblem(IReadOnlyList<int> retryDays)
    {
        for (var i = 0; i < retryDays.Count; i++)
        {
            if (retryDays[i] is < 1 or > MaxRetryDay)
            {
                return $"{RetryDaysField} must be days 1 to {MaxRetryDay} after the failure (entry {i + 1} is {retryDays[i]})";
            }

            if (i > 0 && retryDays[i] <= retryDays[i - 1])
            {
                return $"{RetryDaysField} must be strictly ascending (entry {i + 1}, {retryDays[i]}, does not come after {retryDays[i - 1]})";
            }
        }

        return null;
    }
}

/// <summary>The next step of dunning: retry number <see cref="RetryNumber"/> at <see cref="DueAt"/>, or suspension.</summary>
public readonly record struct DunningDecision
{
    private DunningDecision(int retryNumber, Instant? dueAt)
    {
        RetryNumber = retryNumber;
        DueAt = dueAt;
    }

    /// <summary>Every retry has failed: the customer is to be suspended.</summary>
    public static DunningDecision Suspend { get; } = new(0, null);

    /// <summary>True when there is no retry left.</summary>
    public bool Suspends => DueAt is null;

    /// <summary>Which retry this is, from 1; 0 when suspending.</summary>
    public int RetryNumber { get; }

    /// <summary>When the retry is due; null when suspending.</summary>
    public Instant? DueAt { get; }

    public static DunningDecision RetryAt(int retryNumber, Instant dueAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);
        return new(retryNumber, dueAt);
    }

    public override string ToString() => DueAt is { } dueAt ? $"retry {RetryNumber} at {dueAt}" : "suspend";
}
