using System.Diagnostics.CodeAnalysis;
using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// One sale as a shop reports it to <c>POST /api/v1/usage/revenue</c> (snake_case JSON): every field
/// may be missing or wrong, and <see cref="TryCreate"/> says which. The amount is in the customer's
/// currency, in whole minor units, never negative (a refund is the flag <c>refunded</c>).
/// <c>occurred_at</c> defaults to now; it may lie up to <see cref="BillingOptions.MaxBackdateDays"/>
/// in the past, and not in the future beyond <see cref="InputRules.MaxClockSkewSeconds"/>.
/// </summary>
public sealed record RevenueEventDraft(
    string? OrderId, decimal? Amount, string? Currency, string? OccurredAt, string? CustomerFingerprint, IReadOnlyList<string?>? Flags)
{
    public const int MaxFlags = 4;

    /// <summary>The API's names of <see cref="RevenueEventFlags"/>.</summary>
    public static IReadOnlyDictionary<string, RevenueEventFlags> FlagNames { get; } = new Dictionary<string, RevenueEventFlags>(StringComparer.Ordinal)
    {
        ["refunded"] = RevenueEventFlags.Refunded,
        ["test_order"] = RevenueEventFlags.Test,
    };

    public bool TryCreate(
        Currency currency, Instant now, int maxBackdateDays, [NotNullWhen(true)] out RevenueEvent? revenueEvent, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var orderId = OrderId?.Trim();
        InputRules.CheckText(found, "order_id", orderId, RevenueEvent.MaxOrderIdLength, required: true);
        var amount = CheckAmount(found, currency);
        CheckCurrency(found, currency);
        var at = CheckOccurredAt(found, now, maxBackdateDays);
        InputRules.CheckText(found, "customer_fingerprint", CustomerFingerprint, RevenueEvent.MaxCustomerFingerprintLength, required: false);
        var flags = CheckFlags(found);
        revenueEvent = found.Count == 0 ? new RevenueEvent(orderId!, amount!.Value, at, CustomerFingerprint, flags) : null;
        errors = found;
        return revenueEvent is not null;
    }

    private Money? CheckAmount(List<FieldError> errors, Currency currency)
    {
        if (Amount is not { } amount)
        {
            errors.Add(new FieldError("amount", "amount is required"));
            return null;
        }

        if (amount is < 0m or > PricePlan.MaxAmount)
        {
            errors.Add(new FieldError("amount", $"amount must be between 0 and {PricePlan.MaxAmount}; report a refund with the flag refunded"));
            return null;
        }

        var money = new Money(amount, currency);
        if (!money.IsRounded)
        {
            errors.Add(new FieldError("amount", $"amount must have at most {currency.MinorUnitDigits} decimal places in {currency}"));
            return null;
        }

        // One scale per amount, so 12.5 and 12.50 are the same sale.
        return Money.FromMinorUnits(money.ToMinorUnits(), currency);
    }

    private void CheckCurrency(List<FieldError> errors, Currency currency)
    {
        if (Currency is not null && !string.Equals(Currency.Trim(), currency.Code, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("currency", $"currency must be the customer's currency, {currency}"));
        }
    }

    private Instant CheckOccurredAt(List<FieldError> errors, Instant now, int maxBackdateDays)
    {
        var at = InputRules.ReadInstant(errors, "occurred_at", OccurredAt, now) ?? now;
        if (at < now - Duration.FromDays(maxBackdateDays))
        {
            errors.Add(new FieldError("occurred_at", $"occurred_at may be at most {maxBackdateDays} days in the past"));
        }

        return at;
    }

    private RevenueEventFlags CheckFlags(List<FieldError> errors)
    {
        if (Flags is null)
        {
            return RevenueEventFlags.None;
        }

        var unknown = Flags.Count > MaxFlags || Flags.Any(name => name is null || !FlagNames.ContainsKey(name));
        if (unknown)
        {
            errors.Add(new FieldError("flags", $"flags may hold at most {MaxFlags} of: {string.Join(", ", FlagNames.Keys)}"));
            return RevenueEventFlags.None;
        }

        return Flags.Aggregate(RevenueEventFlags.None, (all, name) => all | FlagNames[name!]);
    }
}
