using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Serialization;

// Billing.Domain stays free of Orleans: the domain values that cross a grain boundary travel as
// these surrogates. Each converter rebuilds the value through its public constructor, so a
// message from another silo passes the same invariant checks as a value made here.

[GenerateSerializer, Immutable]
public readonly record struct TokenAmountSurrogate([property: Id(0)] long Value);

[RegisterConverter]
public sealed class TokenAmountConverter : IConverter<TokenAmount, TokenAmountSurrogate>
{
    public TokenAmount ConvertFromSurrogate(in TokenAmountSurrogate surrogate) => new(surrogate.Value);

    public TokenAmountSurrogate ConvertToSurrogate(in TokenAmount value) => new(value.Value);
}

[GenerateSerializer, Immutable]
public readonly record struct MoneySurrogate([property: Id(0)] decimal Amount, [property: Id(1)] string Currency);

[RegisterConverter]
public sealed class MoneyConverter : IConverter<Money, MoneySurrogate>
{
    public Money ConvertFromSurrogate(in MoneySurrogate surrogate) => new(surrogate.Amount, Currency.Parse(surrogate.Currency));

    public MoneySurrogate ConvertToSurrogate(in Money value) => new(value.Amount, value.Currency.Code);
}

[GenerateSerializer, Immutable]
public readonly record struct CurrencySurrogate([property: Id(0)] string Code);

[RegisterConverter]
public sealed class CurrencyConverter : IConverter<Currency, CurrencySurrogate>
{
    public Currency ConvertFromSurrogate(in CurrencySurrogate surrogate) => Currency.Parse(surrogate.Code);

    public CurrencySurrogate ConvertToSurrogate(in Currency value) => new(value.Code);
}

[GenerateSerializer, Immutable]
public readonly record struct BillingCycleSurrogate([property: Id(0)] int Value);

[RegisterConverter]
public sealed class BillingCycleConverter : IConverter<BillingCycle, BillingCycleSurrogate>
{
    public BillingCycle ConvertFromSurrogate(in BillingCycleSurrogate surrogate) =>
        Enum.IsDefined((BillingCycle)surrogate.Value)
            ? (BillingCycle)surrogate.Value
            : throw new InvariantViolationException($"Unknown billing cycle {surrogate.Value} on the wire.");

    public BillingCycleSurrogate ConvertToSurrogate(in BillingCycle value) => new((int)value);
}

/// <summary>A plan grant; the validity in whole ticks (plans last days, never fractions of a tick).</summary>
[GenerateSerializer, Immutable]
public readonly record struct PlanGrantSurrogate(
    [property: Id(0)] string PlanId, [property: Id(1)] TokenAmount Tokens, [property: Id(2)] long? ValidityTicks, [property: Id(3)] Money Price);

[RegisterConverter]
public sealed class PlanGrantConverter : IConverter<PlanGrant, PlanGrantSurrogate>
{
    public PlanGrant ConvertFromSurrogate(in PlanGrantSurrogate surrogate) =>
        new(surrogate.PlanId, surrogate.Tokens, surrogate.ValidityTicks is { } ticks ? Duration.FromTicks(ticks) : null, surrogate.Price);

    public PlanGrantSurrogate ConvertToSurrogate(in PlanGrant value) =>
        new(value.PlanId, value.Tokens, value.Validity?.BclCompatibleTicks, value.Price);
}

[GenerateSerializer, Immutable]
public readonly record struct LocalDateSurrogate([property: Id(0)] int Year, [property: Id(1)] int Month, [property: Id(2)] int Day);

[RegisterConverter]
public sealed class LocalDateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate) => new(surrogate.Year, surrogate.Month, surrogate.Day);

    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value) => new(value.Year, value.Month, value.Day);
}

[GenerateSerializer, Immutable]
public readonly record struct YearMonthSurrogate([property: Id(0)] int Year, [property: Id(1)] int Month);

[RegisterConverter]
public sealed class YearMonthConverter : IConverter<YearMonth, YearMonthSurrogate>
{
    public YearMonth ConvertFromSurrogate(in YearMonthSurrogate surrogate) => new(surrogate.Year, surrogate.Month);

    public YearMonthSurrogate ConvertToSurrogate(in YearMonth value) => new(value.Year, value.Month);
}

[GenerateSerializer, Immutable]
public readonly record struct BillingPeriodSurrogate([property: Id(0)] LocalDate Start, [property: Id(1)] LocalDate EndExclusive, [property: Id(2)] string ZoneId);

[RegisterConverter]
public sealed class BillingPeriodConverter : IConverter<BillingPeriod, BillingPeriodSurrogate>
{
    public BillingPeriod ConvertFromSurrogate(in BillingPeriodSurrogate surrogate) => new(surrogate.Start, surrogate.EndExclusive, surrogate.ZoneId);

    public BillingPeriodSurrogate ConvertToSurrogate(in BillingPeriod value) => new(value.Start, value.EndExclusive, value.ZoneId);
}

[GenerateSerializer, Immutable]
public readonly record struct InvoiceLineSurrogate([property: Id(0)] string Service, [property: Id(1)] decimal Quantity, [property: Id(2)] Money UnitPrice, [property: Id(3)] Money Amount);

[RegisterConverter]
public sealed class InvoiceLineConverter : IConverter<InvoiceLine, InvoiceLineSurrogate>
{
    public InvoiceLine ConvertFromSurrogate(in InvoiceLineSurrogate surrogate) => new(surrogate.Service, surrogate.Quantity, surrogate.UnitPrice, surrogate.Amount);

    public InvoiceLineSurrogate ConvertToSurrogate(in InvoiceLine value) => new(value.Service, value.Quantity, value.UnitPrice, value.Amount);
}
