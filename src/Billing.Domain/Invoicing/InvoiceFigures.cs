using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Billing.Domain;

/// <summary>
/// How invoice renderings write numbers and dates: invariant culture, ISO dates, amounts with the
/// currency's minor digits, and prices or quantities with as many more digits as they really carry
/// (a unit price of 0.0005 never shows as 0.00).
/// </summary>
internal static class InvoiceFigures
{
    /// <summary>decimal carries at most 28 digits after the point.</summary>
    private const int MaxDecimals = 28;

    /// <summary>At least <paramref name="minDecimals"/> decimals, more only when the value has them.</summary>
    public static string Number(decimal value, int minDecimals, bool groupThousands)
    {
        var pattern = (groupThousands ? "#,0." : "0.") + new string('0', minDecimals) + new string('#', MaxDecimals - minDecimals);
        return value.ToString(pattern, CultureInfo.InvariantCulture);
    }

    public static string Amount(Money amount, bool groupThousands) => Number(amount.Amount, amount.Currency.MinorUnitDigits, groupThousands);

    public static string UnitPrice(Money price, int minDecimals, bool groupThousands) =>
        Number(price.Amount, Math.Max(minDecimals, price.Currency.MinorUnitDigits), groupThousands);

    public static string Quantity(decimal quantity, bool groupThousands) => Number(quantity, 0, groupThousands);

    /// <summary>0.21 → "21%", 0.2125 → "21.25%".</summary>
    public static string VatPercent(decimal rate) => Number(rate * 100m, 0, groupThousands: false) + "%";

    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>First and last local day, both inclusive: "2024-01-01 to 2024-01-07".</summary>
    public static string PeriodRange(BillingPeriod period) => $"{Date(period.Start)} to {Date(period.LastDay)}";
}
