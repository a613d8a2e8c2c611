using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// An amount in one currency. While pricing, the amount may carry more digits than the currency's
/// minor unit (€0.0005 per call); it becomes invoiceable only after <see cref="RoundTo"/> with an
/// explicit <see cref="RoundingPolicy"/>. Arithmetic and comparison across currencies throw
/// <see cref="CurrencyMismatchException"/>: there is no implicit exchange rate.
/// </summary>
public readonly partial record struct Money : IComparable<Money>
{
    public Money(decimal amount, Currency currency)
    {
        Amount = amount;
        Currency = currency.EnsureKnown(nameof(currency));
    }

    public decimal Amount { get; }

    public Currency Currency { get; }

    /// <summary>True when the amount has no digits below the currency's minor unit.</summary>
    public bool IsRounded => decimal.Round(Amount, Currency.MinorUnitDigits) == Amount;

    public bool IsZero => Amount == 0m;

    public bool IsNegative => Amount < 0m;

    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>Builds an amount from an integer count of minor units (1234 EUR cents → EUR 12.34).</summary>
    public static Money FromMinorUnits(long minorUnits, Currency currency)
    {
        currency.EnsureKnown(nameof(currency));
        // Multiplying by an exact power-of-ten fraction is exact in decimal and keeps the
        // currency's scale, so EUR 12.30 stays "12.30" rather than "12.3".
        return new Money(minorUnits * currency.MinorUnit, currency);
    }

    /// <summary>The amount as an integer count of minor units; only defined for rounded amounts.</summary>
    public long ToMinorUnits()
    {
        if (!IsRounded)
        {
            throw new InvalidOperationException(
                $"{this} carries precision below one minor unit of {Currency}; round it with RoundTo(policy) first.");
        }

        decimal minorUnits;
        try
        {
            minorUnits = Amount * Currency.Pow10(Currency.MinorUnitDigits);
        }
        catch (OverflowException ex)
        {
            throw TooManyMinorUnits(ex);
        }

        return minorUnits is < long.MinValue or > long.MaxValue ? throw TooManyMinorUnits(null) : (long)minorUnits;
    }

    /// <summary>Rounds to the currency's minor unit with the given policy.</summary>
    public Money RoundTo(RoundingPolicy policy) => policy.Round(this);

    public Money Negate() => new(-Amount, Currency);

    public Money Add(Money other)
    {
        EnsureSameCurrency(other, "add");
        try
        {
            return new Money(Amount + other.Amount, Currency);
        }
        catch (OverflowException ex)
        {
            throw OverflowOf($"{this} + {other}", ex);
        }
    }

    public Money Subtract(Money other)
    {
        EnsureSameCurrency(other, "subtract");
        try
        {
            return new Money(Amount - other.Amount, Currency);
        }
        catch (OverflowException ex)
        {
            throw OverflowOf($"{this} - {other}", ex);
        }
    }

    /// <summary>Price × quantity, e.g. a unit price times a usage count. Keeps full precision.</summary>
    public Money Multiply(decimal quantity)
    {
        try
        {
            return new Money(Amount * quantity, Currency);
        }
        catch (OverflowException ex)
        {
            throw OverflowOf($"{this} * {quantity.ToString(CultureInfo.InvariantCulture)}", ex);
        }
    }

    /// <summary>Adds up amounts that must all be in <paramref name="currency"/>; an empty sequence is zero.</summary>
    public static Money Sum(IEnumerable<Money> amounts, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = Zero(currency);
        foreach (var amount in amounts)
        {
            total = total.Add(amount);
        }

        return total;
    }

    public int CompareTo(Money other)
    {
        EnsureSameCurrency(other, "compare");
        return Amount.CompareTo(other.Amount);
    }

    public static Money operator +(Money left, Money right) => left.Add(right);

    public static Money operator -(Money left, Money right) => left.Subtract(right);

    public static Money operator -(Money money) => money.Negate();

    public static Money operator *(Money money, decimal quantity) => money.Multiply(quantity);

    public static Money operator *(decimal quantity, Money money) => money.Multiply(quantity);

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// Invariant text such as "EUR 12.34" or "EUR -0.0005": always the currency's minor digits,
    /// more only when the amount really carries sub-minor precision (trailing zeros are dropped).
    /// </summary>
    public override string ToString()
    {
        var digits = Math.Max(Currency.MinorUnitDigits, SignificantDecimalPlaces(Amount));
        return $"{Currency} {Amount.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}";
    }

    private void EnsureSameCurrency(Money other, string operation)
    {
        if (Currency != other.Currency)
        {
            throw new CurrencyMismatchException(Currency, other.Currency, operation);
        }
    }

    private static OverflowException OverflowOf(string expression, OverflowException inner) =>
        new($"{expression} is outside the range of decimal (about ±7.9e28).", inner);

    private OverflowException TooManyMinorUnits(OverflowException? inner) =>
        new($"{this} has too many minor units of {Currency} to fit in a 64-bit integer.", inner);

    private static int SignificantDecimalPlaces(decimal value)
    {
        // decimal keeps trailing zeros in its scale (1.50m has scale 2); strip them first.
        var withoutTrailingZeros = value / 1.0000000000000000000000000000m;
        return withoutTrailingZeros.Scale;
    }
}
