using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// A count of metered tokens. Never negative: subtracting more than is available throws
/// <see cref="InsufficientTokensException"/> instead of producing a negative balance.
/// </summary>
public readonly record struct TokenAmount : IComparable<TokenAmount>
{
    /// <summary>The most tokens a single API request may ask for.</summary>
    public const long MaxPerRequest = 1_000_000;

    /// <summary>Exact message of the exception thrown by <see cref="ValidateRequest"/>, for API error bodies.</summary>
    public const string RequestOutOfRangeMessage = "tokens must be between 1 and 1000000";

    public TokenAmount(long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A token amount cannot be negative.");
        }

        Value = value;
    }

    public long Value { get; }

    public static TokenAmount Zero => default;

    public bool IsZero => Value == 0;

    /// <summary>
    /// Validates a token count received from a client: it must be within 1..<see cref="MaxPerRequest"/>.
    /// Throws <see cref="ArgumentOutOfRangeException"/> whose Message is exactly
    /// <see cref="RequestOutOfRangeMessage"/> (no parameter suffix) so it can be returned to the client as is.
    /// </summary>
    public static TokenAmount ValidateRequest(long tokens) =>
        TryValidateRequest(tokens, out var amount)
            ? amount
            : throw new ArgumentOutOfRangeException(paramName: null, RequestOutOfRangeMessage);

    public static bool TryValidateRequest(long tokens, out TokenAmount amount)
    {
        var valid = tokens is >= 1 and <= MaxPerRequest;
        amount = valid ? new TokenAmount(tokens) : Zero;
        return valid;
    }

    public static TokenAmount Min(TokenAmount left, TokenAmount right) => left <= right ? left : right;

    public static TokenAmount Max(TokenAmount left, TokenAmount right) => left >= right ? left : right;

    public TokenAmount Add(TokenAmount other)
    {
        try
        {
            return new TokenAmount(checked(Value + other.Value));
        }
        catch (OverflowException ex)
        {
            throw new OverflowException($"{this} + {other} tokens exceeds the 64-bit token range.", ex);
        }
    }

    /// <summary>Removes <paramref name="requested"/> tokens; throws rather than going below zero.</summary>
    public TokenAmount Subtract(TokenAmount requested) =>
        requested.Value > Value
            ? throw new InsufficientTokensException(requested, available: this)
            : new TokenAmount(Value - requested.Value);

    public int CompareTo(TokenAmount other) => Value.CompareTo(other.Value);

    public static TokenAmount operator +(TokenAmount left, TokenAmount right) => left.Add(right);

    public static TokenAmount operator -(TokenAmount left, TokenAmount right) => left.Subtract(right);

    public static bool operator <(TokenAmount left, TokenAmount right) => left.Value < right.Value;

    public static bool operator >(TokenAmount left, TokenAmount right) => left.Value > right.Value;

    public static bool operator <=(TokenAmount left, TokenAmount right) => left.Value <= right.Value;

    public static bool operator >=(TokenAmount left, TokenAmount right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
