using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class IbanTests
{
    [Theory]
    [InlineData("DE89370400440532013000", "DE", "89", "370400440532013000")]
    [InlineData("GB82WEST12345698765432", "GB", "82", "WEST12345698765432")]
    [InlineData("NL91ABNA0417164300", "NL", "91", "ABNA0417164300")]
    [InlineData("FR1420041010050500013M02606", "FR", "14", "20041010050500013M02606")]
    [InlineData("BE68539007547034", "BE", "68", "539007547034")]
    [InlineData("AT611904300234573201", "AT", "61", "1904300234573201")]
    [InlineData("CH9300762011623852957", "CH", "93", "00762011623852957")]
    [InlineData("NO9386011117947", "NO", "93", "86011117947")]
    [InlineData("ES9121000418450200051332", "ES", "91", "21000418450200051332")]
    [InlineData("IT60X0542811101000000123456", "IT", "60", "X0542811101000000123456")]
    [InlineData("IE29AIBK93115212345678", "IE", "29", "AIBK93115212345678")]
    [InlineData("FI2112345600000785", "FI", "21", "12345600000785")]
    [InlineData("PT50000201231234567890154", "PT", "50", "000201231234567890154")]
    [InlineData("LU280019400644750000", "LU", "28", "0019400644750000")]
    [InlineData("MT84MALT011000012345MTLCAST001S", "MT", "84", "MALT011000012345MTLCAST001S")]
    public void Known_valid_IBANs_parse_into_country_check_digits_and_national_part(
        string text, string country, string checkDigits, string bban)
    {
        var iban = Iban.Parse(text);

        Assert.Equal(text, iban.Value);
        Assert.Equal(country, iban.CountryCode);
        Assert.Equal(checkDigits, iban.CheckDigits);
        Assert.Equal(bban, iban.Bban);
    }

    [Theory]
    [InlineData("de89 3704 0044 0532 0130 00")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("  De8937040044 0532013000 ")]
    public void The_printed_form_with_spaces_and_lower_case_normalises_to_the_electronic_form(string text)
    {
        Assert.True(Iban.TryParse(text, out var iban, out var reason));

        Assert.Null(reason);
        Assert.Equal("DE89370400440532013000", iban.Value);
        Assert.Equal(Iban.Parse("DE89370400440532013000"), iban);
    }

    [Theory]
    [InlineData("DE89370400440532013000", "DE89 3704 0044 0532 0130 00")]
    [InlineData("BE68539007547034", "BE68 5390 0754 7034")]
    [InlineData("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NO9386011117947", "NO93 8601 1117 947")]
    public void Formatted_prints_groups_of_four(string text, string expected)
    {
        Assert.Equal(expected, Iban.Parse(text).Formatted);
    }

    [Theory]
    [InlineData("DE89370400440532013000", "DE89 **** **** **** **30 00")]
    [InlineData("BE68539007547034", "BE68 **** **** 7034")]
    [InlineData("GB82WEST12345698765432", "GB82 **** **** **** **54 32")]
    [InlineData("NO9386011117947", "NO93 **** ***7 947")]
    public void Masked_keeps_country_check_digits_and_last_four_only(string text, string expected)
    {
        var iban = Iban.Parse(text);

        Assert.Equal(expected, iban.Masked);
        Assert.Equal(expected, iban.ToString());
    }

    [Theory]
    [InlineData("DE89370400440532013001", "IBAN check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("DE89370400440532013900", "IBAN check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("DE89370400440523013000", "IBAN check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("GB82WEST12345698765433", "IBAN check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("NL91ABNA0417164301", "IBAN check digits do not match: a character is mistyped or two are swapped")]
    [InlineData("DE8937040044053201300", "IBAN for DE must have 22 characters (got 21)")]
    [InlineData("DE893704004405320130000", "IBAN for DE must have 22 characters (got 23)")]
    [InlineData("BE6853900754703", "IBAN for BE must have 16 characters (got 15)")]
    [InlineData("US89370400440532013000", "IBAN country 'US' is not supported; use one of AD, AT, BE, BG, CH, CY, CZ, DE, DK, EE, ES, FI, FR, GB, GI, GR, HR, HU, IE, IS, IT, LI, LT, LU, LV, MC, MT, NL, NO, PL, PT, RO, SE, SI, SK, SM, VA")]
    [InlineData("DEXX370400440532013000", "IBAN check digits (characters 3 and 4) must be digits")]
    [InlineData("8937040044", "IBAN must start with a two-letter country code and two check digits")]
    [InlineData("DE8", "IBAN must start with a two-letter country code and two check digits")]
    [InlineData("DE89-3704-0044-0532-0130-00", "IBAN may only contain letters, digits and spaces; the character at position 5 is not allowed")]
    [InlineData("DE89370400440532013000\u00e9", "IBAN may only contain letters, digits and spaces; the character at position 23 is not allowed")]
    [InlineData("", "IBAN is required")]
    [InlineData("   ", "IBAN is required")]
    [InlineData(null, "IBAN is required")]
    public void Corrupted_IBANs_are_rejected_with_a_reason_that_does_not_repeat_them(string? text, string expected)
    {
        Assert.False(Iban.TryParse(text, out var iban, out var reason));

        Assert.Equal(default, iban);
        Assert.Equal(expected, reason);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => Iban.Parse(text)).Message);
        }
    }

    [Theory]
    [InlineData("DE98370400440532013032", "DE01370400440532013032")]
    [InlineData("DE02370400440532013014", "DE99370400440532013014")]
    public void Check_digits_01_and_99_are_refused_although_they_pass_mod_97_like_98_and_02(string valid, string aliased)
    {
        Assert.Equal(valid, Iban.Parse(valid).Value);

        Assert.False(Iban.TryParse(aliased, out _, out var reason));
        Assert.Equal("IBAN check digits do not match: a character is mistyped or two are swapped", reason);
    }

    [Fact]
    public void Input_is_bounded_before_it_is_read()
    {
        var tooLong = new string(' ', Iban.MaxInputLength) + "DE89370400440532013000";

        Assert.False(Iban.TryParse(tooLong, out _, out var reason));
        Assert.Equal($"IBAN must be at most 64 characters (got {tooLong.Length})", reason);
    }

    [Fact]
    public void The_supported_countries_are_the_SEPA_countries()
    {
        Assert.Equal(
            "AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM VA",
            string.Join(" ", Iban.SupportedCountries));
    }

    [Fact]
    public void A_default_IBAN_cannot_be_used()
    {
        Assert.Throws<InvariantViolationException>(() => default(Iban).Value);
        Assert.Equal("(no IBAN)", default(Iban).ToString());
    }
}
