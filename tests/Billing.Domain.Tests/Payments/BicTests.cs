using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class BicTests
{
    [Theory]
    [InlineData("DEUTDEFF", "DEUT", "DE", "FF", "XXX")]
    [InlineData("DEUTDEFF500", "DEUT", "DE", "FF", "500")]
    [InlineData("COBADEFFXXX", "COBA", "DE", "FF", "XXX")]
    [InlineData("ABNANL2A", "ABNA", "NL", "2A", "XXX")]
    [InlineData("BNPAFRPP", "BNPA", "FR", "PP", "XXX")]
    public void Eight_and_eleven_character_codes_split_into_bank_country_location_and_branch(
        string text, string bank, string country, string location, string branch)
    {
        var bic = Bic.Parse(text);

        Assert.Equal(text, bic.Value);
        Assert.Equal(bank, bic.BankCode);
        Assert.Equal(country, bic.CountryCode);
        Assert.Equal(location, bic.LocationCode);
        Assert.Equal(branch, bic.BranchCode);
        Assert.Equal(text, bic.ToString());
    }

    [Fact]
    public void Lower_case_and_surrounding_white_space_are_accepted()
    {
        Assert.Equal("DEUTDEFF500", Bic.Parse("  deutDEff500 ").Value);
    }

    [Fact]
    public void The_two_lengths_stay_distinct_values()
    {
        Assert.NotEqual(Bic.Parse("COBADEFF"), Bic.Parse("COBADEFFXXX"));
        Assert.Equal(Bic.Parse("COBADEFF").BranchCode, Bic.Parse("COBADEFFXXX").BranchCode);
    }

    [Theory]
    [InlineData("DEUTDEF", "BIC must have 8 or 11 characters (got 7)")]
    [InlineData("DEUTDEFF5", "BIC must have 8 or 11 characters (got 9)")]
    [InlineData("DEUTDEFF50", "BIC must have 8 or 11 characters (got 10)")]
    [InlineData("DEUTDEFF5000", "BIC must have 8 or 11 characters (got 12)")]
    [InlineData("DEU1DEFF", "BIC must start with four letters for the bank")]
    [InlineData("DEUTD1FF", "BIC characters 5 and 6 must be the letters of a country code")]
    [InlineData("DEUTDEF!", "BIC location and branch (characters 7 to 8) may only be letters and digits")]
    [InlineData("DEUTDEFF5-0", "BIC location and branch (characters 7 to 11) may only be letters and digits")]
    [InlineData("DEUT DEFF", "BIC must have 8 or 11 characters (got 9)")]
    [InlineData("", "BIC is required")]
    [InlineData(" ", "BIC is required")]
    [InlineData(null, "BIC is required")]
    public void Malformed_codes_are_rejected_with_a_reason(string? text, string expected)
    {
        Assert.False(Bic.TryParse(text, out var bic, out var reason));

        Assert.Equal(default, bic);
        Assert.Equal(expected, reason);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => Bic.Parse(text)).Message);
        }
    }

    [Fact]
    public void Input_is_bounded()
    {
        var tooLong = new string('A', 33);

        Assert.False(Bic.TryParse(tooLong, out _, out var reason));
        Assert.Equal("BIC must be at most 32 characters (got 33)", reason);
    }
}
