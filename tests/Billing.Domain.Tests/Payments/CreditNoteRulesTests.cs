using Billing.Domain.Payments;
using Billing.Domain.Tests.Invoicing;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class CreditNoteRulesTests
{
    // 100.00 net, 21.00 VAT (21 %), 121.00 total.
    private static readonly CreditNoteAmounts Invoice = Amounts(100.00m, 21.00m);

    [Fact]
    public void A_full_refund_credits_exactly_the_invoices_subtotal_and_vat()
    {
        Assert.True(CreditNoteRules.TrySplit(Invoice, Zero, Eur(121.00m), RoundingPolicy.HalfEven, out var note, out _));

        Assert.Equal(Amounts(100.00m, 21.00m), note);
        Assert.Equal(Eur(121.00m), CreditNoteRules.Refundable(Invoice, Zero).Total);
    }

    [Fact]
    public void A_partial_refund_takes_vat_in_the_invoices_proportion_and_the_last_note_takes_exactly_the_rest()
    {
        Assert.True(CreditNoteRules.TrySplit(Invoice, Zero, Eur(50.00m), RoundingPolicy.HalfEven, out var first, out _));
        var credited = first;
        var rest = CreditNoteRules.Refundable(Invoice, credited);
        Assert.True(CreditNoteRules.TrySplit(Invoice, credited, rest.Total, RoundingPolicy.HalfEven, out var last, out _));

        // 50.00 × 21 / 121 = 8.677… → 8.68 VAT, 41.32 net; the rest is 58.68 + 12.32 = 71.00.
        Assert.Equal(Amounts(41.32m, 8.68m), first);
        Assert.Equal(Amounts(58.68m, 12.32m), last);
        Assert.Equal((100.00m, 21.00m), (first.Subtotal.Amount + last.Subtotal.Amount, first.Vat.Amount + last.Vat.Amount));
    }

    [Theory]
    [InlineData(0, 121.01)]
    [InlineData(50, 71.01)]
    [InlineData(121, 0.01)]
    public void A_refund_beyond_what_is_left_of_the_total_is_refused(decimal creditedGross, decimal asked)
    {
        var credited = creditedGross == 0m ? Zero : Split(Zero, creditedGross);

        Assert.False(CreditNoteRules.TrySplit(Invoice, credited, Eur(asked), RoundingPolicy.HalfEven, out var note, out var refusal));

        Assert.Null(note);
        Assert.Equal(CreditRefusal.ExceedsInvoiceTotal, refusal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    public void An_amount_that_is_not_positive_whole_minor_units_is_invalid(decimal asked)
    {
        Assert.False(CreditNoteRules.TrySplit(Invoice, Zero, Eur(asked), RoundingPolicy.HalfEven, out _, out var refusal));
        Assert.Equal(CreditRefusal.InvalidAmount, refusal);
        Assert.False(CreditNoteRules.TrySplit(Invoice, Zero, new Money(1m, Currency.USD), RoundingPolicy.HalfEven, out _, out refusal));
        Assert.Equal(CreditRefusal.InvalidAmount, refusal);
    }

    [Fact]
    public void Cent_by_cent_refunds_never_credit_more_net_or_vat_than_the_invoice_charged()
    {
        var small = Amounts(1.00m, 0.21m);
        var credited = CreditNoteAmounts.Zero(Currency.EUR);
        for (var i = 0; i < 121; i++)
        {
            Assert.True(CreditNoteRules.TrySplit(small, credited, Eur(0.01m), RoundingPolicy.HalfEven, out var note, out _));
            credited = new CreditNoteAmounts(credited.Subtotal + note.Subtotal, credited.Vat + note.Vat);
            Assert.True(credited.Subtotal <= small.Subtotal && credited.Vat <= small.Vat, $"after {i + 1} cents: {credited}");
        }

        Assert.Equal(small, credited);
        Assert.False(CreditNoteRules.TrySplit(small, credited, Eur(0.01m), RoundingPolicy.HalfEven, out _, out var refusal));
        Assert.Equal(CreditRefusal.ExceedsInvoiceTotal, refusal);
    }

    [Fact]
    public void An_invoice_that_charged_nothing_has_nothing_to_refund()
    {
        var credits = Amounts(-5.00m, -1.05m);

        Assert.Equal(Eur(0m), CreditNoteRules.Refundable(credits, CreditNoteAmounts.Zero(Currency.EUR)).Total);
        Assert.False(CreditNoteRules.TrySplit(credits, CreditNoteAmounts.Zero(Currency.EUR), Eur(1m), RoundingPolicy.HalfEven, out _, out var refusal));
        Assert.Equal(CreditRefusal.ExceedsInvoiceTotal, refusal);
    }

    [Fact]
    public void A_credit_note_adds_up_or_cannot_be_made()
    {
        var note = Note(Amounts(41.32m, 8.68m), 41.32m);

        Assert.Equal(Eur(50.00m), note.Amounts.Total);
        Assert.Throws<InvariantViolationException>(() => Note(Amounts(41.32m, 8.68m), 41.31m));
        Assert.Throws<InvariantViolationException>(() => Note(Amounts(0m, 0m), 0m));
    }

    [Fact]
    public void A_credit_notes_refund_has_an_idempotency_key_of_its_own()
    {
        Assert.Equal("billing:credit_note:cn_0123456789abcdefghij:attempt:1", PaymentIdempotencyKey.ForCreditNote("cn_0123456789abcdefghij").Value);
    }

    [Fact]
    public void The_html_page_shows_the_number_the_invoice_and_the_amounts_credited_with_data_encoded()
    {
        var html = CreditNoteHtmlRenderer.Render(Note(Amounts(41.32m, 8.68m), 41.32m, "Service <outage>"));

        Assert.Contains("<dt>Credit note number</dt><dd>CN-2026-000001</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Credits invoice</dt><dd>INV-2026-000007</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"total\"><th scope=\"row\" colspan=\"3\">Total credited</th><td class=\"num\">EUR 50.00</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("VAT (21%)</th><td class=\"num\">EUR 8.68</td>", html, StringComparison.Ordinal);
        Assert.Contains("Reason: Service &lt;outage&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private static CreditNoteAmounts Zero => CreditNoteAmounts.Zero(Currency.EUR);

    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static CreditNoteAmounts Amounts(decimal net, decimal vat) => new(Eur(net), Eur(vat));

    private static CreditNoteAmounts Split(CreditNoteAmounts credited, decimal gross) =>
        CreditNoteRules.TrySplit(Invoice, credited, Eur(gross), RoundingPolicy.HalfEven, out var note, out _) ? note : throw new InvalidOperationException("no split");

    private static CreditNote Note(CreditNoteAmounts amounts, decimal lineAmount, string reason = "Duplicate charge") =>
        new(
            "cn_0123456789abcdefghij", "CN-2026-000001", InvoiceSamples.InvoiceId, "INV-2026-000007", InvoiceSamples.Issuer,
            new InvoiceCustomer("Acme Corporation", "billing@acme.com"), new InvoiceShop(InvoiceSamples.ShopId, "Main shop"), new LocalDate(2026, 12, 3),
            reason, 0.21m, [InvoiceSamples.Line("Refund of invoice INV-2026-000007", 1m, lineAmount, lineAmount)], amounts);
}
