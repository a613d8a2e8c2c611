namespace Billing.Domain;

/// <summary>
/// Metered calls counted together: requests, tokens, and errors (calls answered with a status of
/// 400 or more). The error rate is errors over requests, rounded half-even to four decimals
/// (0.1234 = 12.34 %); zero without requests.
/// </summary>
public readonly record struct UsageFigures(long Requests, long Tokens, long Errors)
{
    public const int ErrorRateDecimals = 4;

    public decimal ErrorRate => Requests == 0 ? 0m : decimal.Round((decimal)Errors / Requests, ErrorRateDecimals, MidpointRounding.ToEven);

    public static UsageFigures operator +(UsageFigures left, UsageFigures right) =>
        new(checked(left.Requests + right.Requests), checked(left.Tokens + right.Tokens), checked(left.Errors + right.Errors));
}
