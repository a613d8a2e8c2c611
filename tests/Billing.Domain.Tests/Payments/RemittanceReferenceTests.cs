using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class RemittanceReferenceTests
{
    [Theory]
    [InlineData("RF18539007547034")]
    [InlineData("Invoice RF18 5390 0754 7034, thanks")]
    [InlineData("rf18 5390 0754 7034")]
    [InlineData("Payment RF18  5390 0754  7034 for November")]
    [InlineData("ref:RF18539007547034/2026")]
    [InlineData("RF18 5390 0754 7034 2026")]
    public void A_reference_is_found_in_electronic_and_printed_form_whatever_surrounds_it(string text)
    {
        Assert.Equal("RF18539007547034", RemittanceReference.Find(text)?.Value);
    }

    [Fact]
    public void An_invoice_reference_ending_in_a_short_group_stops_there()
    {
        Assert.Equal("RF54INV2026000042", RemittanceReference.Find("Pay RF54 INV2 0260 0004 2 Nov")?.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Invoice INV-2026-000042")]
    [InlineData("RF19 5390 0754 7034")] // check digits do not match
    [InlineData("SURF18539007547034")] // not at the start of a word
    [InlineData("RF1")]
    public void Text_without_a_valid_reference_has_none(string? text)
    {
        Assert.Null(RemittanceReference.Find(text));
    }

    [Fact]
    public void The_first_valid_reference_wins_over_a_mistyped_one_before_it()
    {
        Assert.Equal("RF54INV2026000042", RemittanceReference.Find("RF19539007547034 or rather RF54INV2026000042")?.Value);
    }

    [Fact]
    public void A_valid_structured_reference_is_taken_before_the_text_and_an_invalid_one_falls_back_to_it()
    {
        Assert.Equal("RF18539007547034", RemittanceReference.Find("RF18 5390 0754 7034", "RF54INV2026000042")?.Value);
        Assert.Equal("RF54INV2026000042", RemittanceReference.Find("+++090/9337/55493+++", "RF54INV2026000042")?.Value);
    }

    [Fact]
    public void Only_the_first_characters_of_a_long_text_are_searched()
    {
        var text = new string('x', RemittanceReference.MaxSearchedLength) + " RF18539007547034";

        Assert.Null(RemittanceReference.Find(text));
    }
}
