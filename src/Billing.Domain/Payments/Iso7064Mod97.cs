namespace Billing.Domain.Payments;

/// <summary>
/// ISO 7064 MOD 97-10, the check both IBANs (ISO 13616) and creditor references (ISO 11649) use:
/// the text's first four characters move to the end, letters become two-digit numbers
/// (A = 10 … Z = 35), and the resulting number must leave 1 when divided by 97.
/// </summary>
internal static class Iso7064Mod97
{
    /// <summary>Check digits are 02..98 by construction (98 − remainder); 00, 01 and 99 never are.</summary>
    public const int MinCheckDigits = 2;
    public const int MaxCheckDigits = 98;

    private const int Modulus = 97;

    /// <summary>
    /// True when <paramref name="text"/> (upper-case letters and digits, its check digits at
    /// positions 2..3) passes the check and its check digits are in 02..98.
    /// </summary>
    public static bool IsValid(string text)
    {
        var checkDigits = (text[2] - '0') * 10 + (text[3] - '0');
        return checkDigits is >= MinCheckDigits and <= MaxCheckDigits
            && Remainder(text.AsSpan(4), text.AsSpan(0, 4)) == 1;
    }

    /// <summary>The two check digits for <paramref name="body"/> behind the two-letter <paramref name="prefix"/>.</summary>
    public static int CheckDigitsFor(string prefix, string body) =>
        MaxCheckDigits - Remainder(body, prefix + "00");

    /// <summary>
    /// The remainder of the number <paramref name="head"/> followed by <paramref name="tail"/> spell,
    /// taken one character at a time: an IBAN spells a number of up to 68 digits, far beyond
    /// <see cref="long"/>, and carrying only the running remainder (&lt; 97) needs no big integers.
    /// </summary>
    private static int Remainder(ReadOnlySpan<char> head, ReadOnlySpan<char> tail)
    {
        var remainder = 0;
        foreach (var c in head)
        {
            remainder = Append(remainder, c);
        }

        foreach (var c in tail)
        {
            remainder = Append(remainder, c);
        }

        return remainder;
    }

    private static int Append(int remainder, char c) => c switch
    {
        >= '0' and <= '9' => (remainder * 10 + (c - '0')) % Modulus,
        >= 'A' and <= 'Z' => (remainder * 100 + (c - 'A' + 10)) % Modulus,
        _ => throw new InvariantViolationException(
            $"ISO 7064 input must be normalised to upper-case letters and digits before the check, got '{c}'."),
    };
}
