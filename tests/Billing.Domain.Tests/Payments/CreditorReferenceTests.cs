using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class CreditorReferenceTests
{
    [Fact]
    public void The_ISO_11649_example_gets_check_digits_18()
    {
        var reference = CreditorReference.FromReference("539007547034");

        Assert.Equal("RF18539007547034", reference.Value);
        Assert.Equal("18", reference.CheckDigits);
        Assert.Equal("539007547034", reference.Base);
        Assert.Equal("RF18 5390 0754 7034", reference.Formatted);
    }

    [Fact]
    public void Leading_zeros_keep_the_check_digits_and_print_in_groups_of_four()
    {
        var reference = CreditorReference.Parse("RF18000000000539007547034");

        Assert.Equal("RF18 0000 0000 0539 0075 4703 4", reference.Formatted);
        Assert.Equal(reference, CreditorReference.FromReference("000000000539007547034"));
    }

    [Theory]
    [InlineData("RF18539007547034")]
    [InlineData("rf18 5390 0754 7034")]
    [InlineData("RF18 0000 0000 0539 0075 4703 4")]
    [InlineData("RF54INV2026000042")]
    public void Valid_references_parse_in_electronic_and_printed_form(string text)
    {
        Assert.True(CreditorReference.TryParse(text, out var reference, out var reason));

        Assert.Null(reason);
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), reference.Value);
    }

    [Fact]
    public void An_invoice_number_keeps_only_its_letters_and_digits()
    {
        var reference = CreditorReference.FromInvoiceNumber("INV-2026-000042");

        Assert.Equal("RF54INV2026000042", reference.Value);
        Assert.Equal("RF54 INV2 0260 0004 2", reference.Formatted);
        Assert.Equal(reference, CreditorReference.Parse(reference.Formatted));
    }

    [Fact]
    public void Letters_count_as_10_to_35_whatever_their_case()
    {
        Assert.Equal(CreditorReference.FromReference("INV2026000042"), CreditorReference.FromReference("inv2026000042"));
    }

    [Theory]
    [InlineData("RF19539007547034", "creditor reference check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("RF18539007547035", "creditor reference check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("RF18539007574034", "creditor reference check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("RF0154", "creditor reference check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("RF9936", "creditor reference check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("RFAB539007547034", "creditor reference check digits (characters 3 and 4) must be digits")]
    [InlineData("XX18539007547034", "creditor reference must start with RF")]
    [InlineData("RF18", "creditor reference must have RF, two check digits and at least one letter or digit")]
    [InlineData("RF18 0000 0000 0000 0539 0075 4703 4", "creditor reference must have at most 25 letters and digits (got 29)")]
    [InlineData("RF18-5390-0754-7034", "creditor reference may only contain letters, digits and spaces; the character at position 5 is not allowed")]
    [InlineData("", "creditor reference is required")]
    [InlineData(null, "creditor reference is required")]
    public void Corrupted_references_are_rejected_with_a_reason(string? text, string expected)
    {
        Assert.False(CreditorReference.TryParse(text, out var reference, out var reason));

        Assert.Equal(default, reference);
        Assert.Equal(expected, reason);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => CreditorReference.Parse(text)).Message);
        }
    }

    [Theory]
    [InlineData("RF9854")]
    [InlineData("RF0236")]
    public void Check_digits_98_and_02_are_valid(string text)
    {
        Assert.Equal(text, CreditorReference.Parse(text).Value);
        Assert.Equal(text, CreditorReference.FromReference(text[4..]).Value);
    }

    [Theory]
    [InlineData("1234567890123456789012", "creditor reference base must have at most 21 letters and digits (got 22)")]
    [InlineData("INV-42", "creditor reference base may only contain letters, digits and spaces; the character at position 4 is not allowed")]
    [InlineData("", "creditor reference base is required")]
    public void A_base_must_be_1_to_21_letters_and_digits(string reference, string expected)
    {
        Assert.False(CreditorReference.TryFromReference(reference, out _, out var reason));

        Assert.Equal(expected, reason);
        Assert.Equal(expected, Assert.Throws<FormatException>(() => CreditorReference.FromReference(reference)).Message);
    }

    [Fact]
    public void An_invoice_number_with_more_than_21_letters_and_digits_cannot_be_carried()
    {
        var error = Assert.Throws<FormatException>(() => CreditorReference.FromInvoiceNumber("ACME-INVOICE-2026-00000000042"));

        Assert.Equal("Invoice number has 26 letters and digits; a creditor reference carries at most 21.", error.Message);
    }
}
