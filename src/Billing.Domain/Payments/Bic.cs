using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain.Payments;

/// <summary>
/// A Business Identifier Code (ISO 9362, "SWIFT code") in upper case: four letters for the bank,
/// two for its country, two letters or digits for the location and, in the 11-character form,
/// three for the branch ("DEUTDEFF", "DEUTDEFF500"). The two lengths are kept as given: an
/// 8-character BIC names the bank's primary office, which <see cref="BranchCode"/> reports as "XXX".
/// There is no check digit, so only the shape can be verified.
/// </summary>
public readonly record struct Bic
{
    public const int ShortLength = 8;
    public const int LongLength = 11;

    /// <summary>The branch code SWIFT reserves for a bank's primary office.</summary>
    public const string PrimaryOfficeBranch = "XXX";

    private const string Subject = "BIC";

    /// <summary>Room for surrounding white space around an 11-character code, nothing more.</summary>
    private const int MaxInputLength = 32;

    private readonly string? value;

    private Bic(string code) => value = code;

    /// <summary>The code in upper case, 8 or 11 characters.</summary>
    public string Value => value ?? throw new InvariantViolationException("default(Bic) has no value; use Bic.Parse.");

    public string BankCode => Value[..4];

    /// <summary>ISO 3166 alpha-2 country of the bank, e.g. "DE".</summary>
    public string CountryCode => Value[4..6];

    public string LocationCode => Value[6..8];

    /// <summary>The three-character branch, "XXX" (primary office) for an 8-character BIC.</summary>
    public string BranchCode => Value.Length == LongLength ? Value[8..] : PrimaryOfficeBranch;

    /// <summary>Throws <see cref="FormatException"/> with the reason <see cref="TryParse"/> gives.</summary>
    public static Bic Parse(string text) =>
        TryParse(text, out var bic, out var reason) ? bic : throw new FormatException(reason);

    /// <summary>Reads a BIC in any case, ignoring white space around (not inside) it.</summary>
    public static bool TryParse(string? text, out Bic bic, [NotNullWhen(false)] out string? reason)
    {
        bic = default;
        if (!CompactCode.IsPresent(text, Subject, MaxInputLength, out reason))
        {
            return false;
        }

        var code = text.Trim().ToUpperInvariant();
        reason = Problem(code);
        if (reason is not null)
        {
            return false;
        }

        bic = new Bic(code);
        return true;
    }

    public override string ToString() => value ?? "(no BIC)";

    private static string? Problem(string code)
    {
        if (code.Length is not (ShortLength or LongLength))
        {
            return $"{Subject} must have {ShortLength} or {LongLength} characters (got {code.Length})";
        }

        if (code.AsSpan(0, 4).ContainsAnyExceptInRange('A', 'Z'))
        {
            return $"{Subject} must start with four letters for the bank";
        }

        if (code.AsSpan(4, 2).ContainsAnyExceptInRange('A', 'Z'))
        {
            return $"{Subject} characters 5 and 6 must be the letters of a country code";
        }

        for (var i = 6; i < code.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(code[i]))
            {
                return $"{Subject} location and branch (characters 7 to {code.Length}) may only be letters and digits";
            }
        }

        return null;
    }
}
