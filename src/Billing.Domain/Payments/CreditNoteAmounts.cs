using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain.Payments;

/// <summary>Net and VAT of an invoice, of what credit notes have credited of it, or of one credit note; the total is their sum.</summary>
public sealed record CreditNoteAmounts(Money Subtotal, Money Vat)
{
    public Money Total => Subtotal + Vat;

    public Currency Currency => Subtotal.Currency;

    public static CreditNoteAmounts Zero(Currency currency) => new(Money.Zero(currency), Money.Zero(currency));

    public CreditNoteAmounts Minus(CreditNoteAmounts other) => new(Subtotal - other.Subtotal, Vat - other.Vat);
}

/// <summary>Why a refund cannot be credited: the amount is wrong, or the invoice has not that much left to credit.</summary>
public enum CreditRefusal
{
    /// <summary>Not a positive amount in whole minor units of the invoice's currency.</summary>
    InvalidAmount = 1,

    /// <summary>More than the invoice's total less what its credit notes credited already (anything, once fully credited).</summary>
    ExceedsInvoiceTotal = 2,
}

/// <summary>
/// How much of a paid invoice a credit note credits, and how it splits into net and VAT. Credit
/// notes of one invoice never credit more than its total, nor more net or VAT than it charged. A
/// partial refund takes VAT in the invoice's own proportion (VAT / total, rounded once by the
/// invoice's policy), held within what is left of each part; the note that credits all that is
/// left takes exactly what is left of each, so crediting an invoice in full, in one note or
/// many, gives back exactly its subtotal and its VAT.
/// </summary>
public static class CreditNoteRules
{
    public const int MaxReasonLength = 500;

    /// <summary>What <paramref name="invoice"/> still has to credit after <paramref name="credited"/>: the default refund.</summary>
    public static CreditNoteAmounts Refundable(CreditNoteAmounts invoice, CreditNoteAmounts credited)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(credited);
        if (invoice.Total.Amount <= 0m)
        {
            // An invoice that charged nothing (its credits outweighed its charges) has nothing to refund.
            return CreditNoteAmounts.Zero(invoice.Currency);
        }

        var left = invoice.Minus(credited);
        return left.Subtotal.IsNegative || left.Vat.IsNegative
            ? throw new InvariantViolationException($"Credit notes credited {credited.Subtotal} + {credited.Vat} of an invoice of {invoice.Subtotal} + {invoice.Vat}.")
            : left;
    }

    /// <summary>
    /// The net and VAT of a credit note for <paramref name="gross"/> (VAT included) of an invoice
    /// that credit notes have already credited <paramref name="credited"/> of.
    /// </summary>
    public static bool TrySplit(
        CreditNoteAmounts invoice, CreditNoteAmounts credited, Money gross, RoundingPolicy rounding,
        [NotNullWhen(true)] out CreditNoteAmounts? note, out CreditRefusal refusal)
    {
        var left = Refundable(invoice, credited);
        (note, refusal) = (null, default);
        if (gross.Currency != invoice.Currency || !gross.IsRounded || gross.Amount <= 0m)
        {
            refusal = CreditRefusal.InvalidAmount;
            return false;
        }

        if (gross > left.Total)
        {
            refusal = CreditRefusal.ExceedsInvoiceTotal;
            return false;
        }

        if (gross == left.Total)
        {
            note = left;
            return true;
        }

        var proportional = new Money(gross.Amount * invoice.Vat.Amount / invoice.Total.Amount, gross.Currency).RoundTo(rounding);
        // Net may not pass what is left of the subtotal, nor VAT what is left of the VAT: the last note takes the rest of each.
        var lowest = Max(Money.Zero(gross.Currency), gross - left.Subtotal);
        var highest = Min(left.Vat, gross);
        var vat = Min(Max(proportional, lowest), highest);
        note = new CreditNoteAmounts(gross - vat, vat);
        return true;
    }

    private static Money Max(Money a, Money b) => a >= b ? a : b;

    private static Money Min(Money a, Money b) => a <= b ? a : b;
}
