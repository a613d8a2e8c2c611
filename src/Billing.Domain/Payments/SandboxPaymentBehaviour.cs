using System.Collections.Frozen;

namespace Billing.Domain.Payments;

/// <summary>
/// How the offline sandbox provider treats Stripe's published test details, so that the whole
/// payment flow, declines included, runs without a network and gives Stripe's answers:
/// <list type="bullet">
/// <item>4242 4242 4242 4242 attaches and charges.</item>
/// <item>4000 0000 0000 0002 is declined (<c>generic_decline</c>), on attaching as on charging.</item>
/// <item>4000 0000 0000 9995 is declined (<c>insufficient_funds</c>), on attaching as on charging.</item>
/// <item>4000 0025 0000 3155 attaches, and each charge requires 3-D Secure. Stripe asks only for
/// on-session payments once the card was set up with authentication; the sandbox asks every time,
/// so the requires-action path of the collection flow can be exercised at will.</item>
/// <item>4000 0000 0000 0341 attaches but every charge is declined (<c>generic_decline</c>).</item>
/// <item>Any other number is declined with <c>test_mode_live_card</c>, Stripe's answer to a real
/// card in test mode: the sandbox must not get into the habit of accepting real card numbers.</item>
/// </list>
/// SEPA Direct Debit: AT61 1904 3002 3457 3201 and DE89 3704 0044 0532 0130 00 are debited;
/// AT86 1904 3002 3547 3202 fails with <c>insufficient_funds</c>; any other IBAN is refused with
/// <c>bank_account_unusable</c>, again so that only test details pass. The sandbox settles a debit
/// at once; Stripe reports it days later, which the provider adapter simulates, not this table.
/// </summary>
public static class SandboxPaymentBehaviour
{
    public const string GenericDecline = "generic_decline";
    public const string InsufficientFunds = "insufficient_funds";
    public const string TestModeLiveCard = "test_mode_live_card";
    public const string BankAccountUnusable = "bank_account_unusable";

    private static readonly FrozenDictionary<string, (SandboxCardOutcome Attach, SandboxCardOutcome Charge)> CardsByNumber =
        new Dictionary<string, (SandboxCardOutcome, SandboxCardOutcome)>(StringComparer.Ordinal)
        {
            ["4242424242424242"] = (SandboxCardOutcome.Succeeded, SandboxCardOutcome.Succeeded),
            ["4000000000000002"] = (SandboxCardOutcome.CardDeclinedWith(GenericDecline), SandboxCardOutcome.CardDeclinedWith(GenericDecline)),
            ["4000000000009995"] = (SandboxCardOutcome.CardDeclinedWith(InsufficientFunds), SandboxCardOutcome.CardDeclinedWith(InsufficientFunds)),
            ["4000002500003155"] = (SandboxCardOutcome.Succeeded, SandboxCardOutcome.RequiresAuthentication),
            ["4000000000000341"] = (SandboxCardOutcome.Succeeded, SandboxCardOutcome.CardDeclinedWith(GenericDecline)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SandboxCardOutcome> DebitsByIban =
        new Dictionary<string, SandboxCardOutcome>(StringComparer.Ordinal)
        {
            ["AT611904300234573201"] = SandboxCardOutcome.Succeeded,
            ["DE89370400440532013000"] = SandboxCardOutcome.Succeeded,
            ["AT861904300235473202"] = SandboxCardOutcome.DebitFailedWith(InsufficientFunds),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly SandboxCardOutcome LiveCard = SandboxCardOutcome.CardDeclinedWith(TestModeLiveCard);

    /// <summary>The answer to saving the card to a customer. Throws <see cref="FormatException"/> for a malformed number.</summary>
    public static SandboxCardOutcome OnAttach(string cardNumber) =>
        CardsByNumber.TryGetValue(Digits(cardNumber), out var card) ? card.Attach : LiveCard;

    /// <summary>The answer to charging the card. Throws <see cref="FormatException"/> for a malformed number.</summary>
    public static SandboxCardOutcome OnCharge(string cardNumber) =>
        CardsByNumber.TryGetValue(Digits(cardNumber), out var card) ? card.Charge : LiveCard;

    /// <summary>The answer to a SEPA Direct Debit from <paramref name="iban"/>.</summary>
    public static SandboxCardOutcome OnSepaDebit(Iban iban) =>
        DebitsByIban.TryGetValue(iban.Value, out var outcome) ? outcome : SandboxCardOutcome.DebitFailedWith(BankAccountUnusable);

    /// <summary>
    /// A number that is not a card number at all (wrong length, bad check digit) never reaches
    /// Stripe, which rejects it in the browser: the sandbox makes that the caller's error too.
    /// </summary>
    private static string Digits(string cardNumber) =>
        PaymentCard.TryReadNumber(cardNumber, out var digits, out var reason) ? digits : throw new FormatException(reason);
}
