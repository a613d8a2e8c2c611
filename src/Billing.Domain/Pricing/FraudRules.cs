using NodaTime;

namespace Billing.Domain;

/// <summary>Why a revenue event earns no share. The first rule that applies (in this order) is the reason.</summary>
public enum RevenueExclusionReason
{
    /// <summary>The event, or another event of the same order, is flagged refunded.</summary>
    Refunded = 0,

    /// <summary>The event is flagged as a test order.</summary>
    TestOrder = 1,

    /// <summary>A single sale above <see cref="FraudRules.MaxEventAmount"/>.</summary>
    AboveMaxAmount = 2,

    /// <summary>The order id was already counted: an order earns a share once.</summary>
    DuplicateOrder = 3,

    /// <summary>More sales from one customer fingerprint inside the window than the rules allow.</summary>
    FingerprintVelocity = 4,
}

public sealed record ExcludedRevenueEvent(RevenueEvent Event, RevenueExclusionReason Reason);

/// <summary>The outcome of <see cref="FraudRules.Screen"/>: which events count and which do not, in input order.</summary>
public sealed record RevenueScreening(IReadOnlyList<RevenueEvent> Counted, IReadOnlyList<ExcludedRevenueEvent> Excluded, Money CountedRevenue);

/// <summary>
/// The fraud screening that runs before a revenue share is computed (seed 002: "Run fraud detection",
/// then "Calculate billing fee"). Rules, each event getting the first that applies:
/// <list type="number">
/// <item>Refunded: the event or any event of the same order id is flagged refunded (a refund
/// reported after the sale cancels it).</item>
/// <item>Test order: the event is flagged test.</item>
/// <item>Above max amount: the sale exceeds <see cref="MaxEventAmount"/> (when set).</item>
/// <item>Duplicate order: an earlier event (by time, then input order) of the same order id counts.</item>
/// <item>Fingerprint velocity: the same <see cref="RevenueEvent.CustomerFingerprint"/> already has
/// <see cref="MaxEventsPerFingerprint"/> sales at most <see cref="FingerprintWindow"/> earlier. Every
/// sale that reached this rule fills the window, excluded ones too, so a sustained burst stays
/// excluded instead of letting a few through each window.</item>
/// </list>
/// </summary>
public sealed record FraudRules
{
    public const int DefaultMaxEventsPerFingerprint = 10;
    public const int DefaultFingerprintWindowMinutes = 60;
    public const int MaxEventsPerFingerprintLimit = 10_000;
    public const int MaxFingerprintWindowMinutes = 31 * 24 * 60;

    public FraudRules(Money? maxEventAmount, int maxEventsPerFingerprint, Duration fingerprintWindow)
    {
        var errors = new List<FieldError>();
        var windowMinutes = (fingerprintWindow.Days * 24L * 60) + (fingerprintWindow.Hours * 60L) + fingerprintWindow.Minutes;
        if (fingerprintWindow != Duration.FromMinutes(windowMinutes))
        {
            errors.Add(new FieldError("fingerprint_window_minutes", "fingerprint_window_minutes must be a whole number of minutes"));
        }

        Validate(errors, path: "", maxEventAmount?.Amount, maxEventsPerFingerprint, windowMinutes, maxEventAmount?.Currency);
        FieldRules.ThrowIfAny("fraud rules", errors);
        MaxEventAmount = maxEventAmount is { } max ? Money.FromMinorUnits(max.ToMinorUnits(), max.Currency) : null;
        MaxEventsPerFingerprint = maxEventsPerFingerprint;
        FingerprintWindow = fingerprintWindow;
    }

    /// <summary>No amount cap; at most 10 sales per customer fingerprint per hour.</summary>
    public static FraudRules Default { get; } =
        new(null, DefaultMaxEventsPerFingerprint, Duration.FromMinutes(DefaultFingerprintWindowMinutes));

    /// <summary>Null: no cap. Otherwise in the plan's currency, whole minor units, above zero.</summary>
    public Money? MaxEventAmount { get; }

    public int MaxEventsPerFingerprint { get; }

    /// <summary>Whole minutes, 1 minute .. 31 days.</summary>
    public Duration FingerprintWindow { get; }

    internal static void Validate(
        List<FieldError> errors, string path, decimal? maxEventAmount, long? maxEventsPerFingerprint, long? fingerprintWindowMinutes, Currency? currency)
    {
        if (maxEventAmount is not null)
        {
            var field = ChargeRules.At(path, "max_event_amount");
            ChargeRules.CheckPrice(errors, field, maxEventAmount, currency);
            if (maxEventAmount == 0m)
            {
                errors.Add(new FieldError(field, $"{field} must be above 0 (leave it out for no cap)"));
            }
        }

        ChargeRules.CheckCount(errors, ChargeRules.At(path, "max_events_per_fingerprint"), maxEventsPerFingerprint, 1, MaxEventsPerFingerprintLimit);
        ChargeRules.CheckCount(errors, ChargeRules.At(path, "fingerprint_window_minutes"), fingerprintWindowMinutes, 1, MaxFingerprintWindowMinutes);
    }

    /// <summary>Applies the rules to a period's events, which must all be in <paramref name="currency"/>.</summary>
    public RevenueScreening Screen(IReadOnlyList<RevenueEvent> events, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(events);
        var reasons = new RevenueExclusionReason?[events.Count];
        var refundedOrders = events.Where(e => e.Flags.HasFlag(RevenueEventFlags.Refunded)).Select(e => e.OrderId).ToHashSet(StringComparer.Ordinal);
        var countedOrders = new HashSet<string>(StringComparer.Ordinal);
        var recentByFingerprint = new Dictionary<string, Queue<Instant>>(StringComparer.Ordinal);
        foreach (var index in ChronologicalOrder(events))
        {
            var revenueEvent = events[index];
            if (revenueEvent.Amount.Currency != currency)
            {
                throw new CurrencyMismatchException(revenueEvent.Amount.Currency, currency, $"screen revenue of order '{revenueEvent.OrderId}' in");
            }

            reasons[index] = FirstRuleBreached(revenueEvent, refundedOrders, countedOrders, recentByFingerprint);
        }

        var counted = events.Where((_, index) => reasons[index] is null).ToArray();
        var excluded = events.Select((e, index) => (e, reason: reasons[index]))
            .Where(pair => pair.reason is not null)
            .Select(pair => new ExcludedRevenueEvent(pair.e, pair.reason!.Value))
            .ToArray();
        return new RevenueScreening(Array.AsReadOnly(counted), Array.AsReadOnly(excluded), Money.Sum(counted.Select(e => e.Amount), currency));
    }

    private RevenueExclusionReason? FirstRuleBreached(
        RevenueEvent revenueEvent, HashSet<string> refundedOrders, HashSet<string> countedOrders, Dictionary<string, Queue<Instant>> recentByFingerprint)
    {
        if (refundedOrders.Contains(revenueEvent.OrderId))
        {
            return RevenueExclusionReason.Refunded;
        }

        if (revenueEvent.Flags.HasFlag(RevenueEventFlags.Test))
        {
            return RevenueExclusionReason.TestOrder;
        }

        if (MaxEventAmount is { } max && revenueEvent.Amount > max)
        {
            return RevenueExclusionReason.AboveMaxAmount;
        }

        if (!countedOrders.Add(revenueEvent.OrderId))
        {
            return RevenueExclusionReason.DuplicateOrder;
        }

        if (revenueEvent.CustomerFingerprint is not { } fingerprint)
        {
            return null;
        }

        var recent = recentByFingerprint.TryGetValue(fingerprint, out var queue) ? queue : recentByFingerprint[fingerprint] = new Queue<Instant>();
        while (recent.Count > 0 && recent.Peek() < revenueEvent.At - FingerprintWindow)
        {
            recent.Dequeue();
        }

        var tooMany = recent.Count >= MaxEventsPerFingerprint;
        recent.Enqueue(revenueEvent.At);
        if (tooMany)
        {
            // The order was not counted after all: a later copy of it may still be, once the burst ends.
            countedOrders.Remove(revenueEvent.OrderId);
            return RevenueExclusionReason.FingerprintVelocity;
        }

        return null;
    }

    private static IEnumerable<int> ChronologicalOrder(IReadOnlyList<RevenueEvent> events) =>
        Enumerable.Range(0, events.Count).OrderBy(index => events[index].At).ThenBy(index => index);
}
