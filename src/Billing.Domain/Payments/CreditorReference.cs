using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Billing.Domain.Payments;

/// <summary>
/// An ISO 11649 structured creditor reference ("RF reference"): "RF", two check digits and 1..21
/// letters or digits, e.g. "RF18539007547034". A payer quoting it on a transfer lets the bank and
/// us match the money to the invoice, and the check digits catch a mistyped character before it
/// is sent. Kept in electronic form (upper case, no spaces); <see cref="Formatted"/> is the printed one.
/// </summary>
public readonly record struct CreditorReference
{
    public const int MaxBaseLength = 21;
    public const int MaxLength = 25;

    /// <summary>Printed references carry a space every four characters: 25 + 6 spaces, with room to spare.</summary>
    public const int MaxInputLength = 40;

    private const string Prefix = "RF";
    private const string Subject = "creditor reference";

    private readonly string? value;

    private CreditorReference(string electronic) => value = electronic;

    /// <summary>The electronic form, e.g. "RF18539007547034".</summary>
    public string Value => value ?? throw new InvariantViolationException("default(CreditorReference) has no value; use CreditorReference.Parse.");

    public string CheckDigits => Value[2..4];

    /// <summary>The creditor's own reference behind the check digits, e.g. "539007547034".</summary>
    public string Base => Value[4..];

    /// <summary>Groups of four, e.g. "RF18 5390 0754 7034".</summary>
    public string Formatted => CompactCode.InGroupsOfFour(Value);

    /// <summary>
    /// The reference for <paramref name="reference"/>, 1..21 letters and digits (spaces are dropped,
    /// letters upper-cased); throws <see cref="FormatException"/> with the reason
    /// <see cref="TryFromReference"/> gives.
    /// </summary>
    public static CreditorReference FromReference(string reference) =>
        TryFromReference(reference, out var creditorReference, out var reason) ? creditorReference : throw new FormatException(reason);

    public static bool TryFromReference(string? reference, out CreditorReference creditorReference, [NotNullWhen(false)] out string? reason)
    {
        creditorReference = default;
        if (!CompactCode.TryRead(reference, Subject + " base", MaxInputLength, out var compact, out reason))
        {
            return false;
        }

        if (compact.Length > MaxBaseLength)
        {
            reason = $"{Subject} base must have at most {MaxBaseLength} letters and digits (got {compact.Length})";
            return false;
        }

        var checkDigits = Iso7064Mod97.CheckDigitsFor(Prefix, compact);
        creditorReference = new CreditorReference(
            Prefix + checkDigits.ToString("D2", CultureInfo.InvariantCulture) + compact);
        return true;
    }

    /// <summary>
    /// The reference for an invoice number such as "INV-2026-000042": its letters and digits only
    /// ("INV2026000042"), since ISO 11649 allows nothing else. Numbers whose letters and digits
    /// exceed 21 characters cannot be carried and throw <see cref="FormatException"/>.
    /// </summary>
    public static CreditorReference FromInvoiceNumber(string invoiceNumber)
    {
        ArgumentNullException.ThrowIfNull(invoiceNumber);
        var alphanumeric = string.Concat(invoiceNumber.Where(char.IsAsciiLetterOrDigit));
        return alphanumeric.Length <= MaxBaseLength
            ? FromReference(alphanumeric)
            : throw new FormatException(
                $"Invoice number has {alphanumeric.Length} letters and digits; a {Subject} carries at most {MaxBaseLength}.");
    }

    /// <summary>Throws <see cref="FormatException"/> with the reason <see cref="TryParse"/> gives.</summary>
    public static CreditorReference Parse(string text) =>
        TryParse(text, out var reference, out var reason) ? reference : throw new FormatException(reason);

    /// <summary>Reads a reference in electronic or printed form ("rf18 5390 0754 7034").</summary>
    public static bool TryParse(string? text, out CreditorReference reference, [NotNullWhen(false)] out string? reason)
    {
        reference = default;
        if (!CompactCode.TryRead(text, Subject, MaxInputLength, out var compact, out reason))
        {
            return false;
        }

        reason = compact switch
        {
            _ when !compact.StartsWith(Prefix, StringComparison.Ordinal) => $"{Subject} must start with {Prefix}",
            { Length: < 5 } => $"{Subject} must have {Prefix}, two check digits and at least one letter or digit",
            { Length: > MaxLength } => $"{Subject} must have at most {MaxLength} letters and digits (got {compact.Length})",
            _ when !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]) => $"{Subject} check digits (characters 3 and 4) must be digits",
            _ when !Iso7064Mod97.IsValid(compact) => $"{Subject} check digits do not match: a character is mistyped or two are swapped",
            _ => null,
        };
        if (reason is not null)
        {
            return false;
        }

        reference = new CreditorReference(compact);
        return true;
    }

    public override string ToString() => value ?? "(no creditor reference)";
}
