namespace Billing.Domain.Tests.Invoicing;

public sealed class InvoiceNumberFormatTests
{
    [Fact]
    public void TheDefaultFormatPadsToSixDigits()
    {
        Assert.Equal("INV-{year}-{number:06}", InvoiceNumberFormat.Default.Pattern);
        Assert.Equal("INV-2025-000042", InvoiceNumberFormat.Default.Format(2025, 42));
        Assert.True(InvoiceNumberFormat.Default.IncludesYear);
    }

    [Fact]
    public void TheVigintPythonStyleFormatIsExpressible()
    {
        var vigint = InvoiceNumberFormat.Parse("VIGINT-{year}-{number:04d}");

        Assert.Equal("VIGINT-2024-0001", vigint.Format(2024, 1));
    }

    [Theory]
    [InlineData("INV-{year}-{number:04}", 2025, 1_234_567, "INV-2025-1234567")]
    [InlineData("{number}", 2025, 7, "7")]
    [InlineData("{number:01}", 2025, 7, "7")]
    [InlineData("{number:012}", 2025, 42, "000000000042")]
    [InlineData("ACME/{number:05}/{year}", 987, 3, "ACME/00003/0987")]
    [InlineData("a_b.c-{year}.{number:03d}", 2025, 12, "a_b.c-2025.012")]
    public void FormatsNumbersAndYearsAndNeverTruncatesWideNumbers(string pattern, int year, long number, string expected)
    {
        Assert.Equal(expected, InvoiceNumberFormat.Parse(pattern).Format(year, number));
    }

    [Theory]
    [InlineData(null, "invoice_number_format is required")]
    [InlineData("", "invoice_number_format is required")]
    [InlineData("INV-{year}", "invoice_number_format must contain {number}")]
    [InlineData("{number}-{number}", "invoice_number_format must contain {number} only once")]
    [InlineData("{year}-{year}-{number}", "invoice_number_format may contain {year} at most once")]
    [InlineData("INV-{month}-{number}", "invoice_number_format has an unknown placeholder {month}; use {year}, {number}, {number:06} or {number:04d}")]
    [InlineData("INV-{{number}", "invoice_number_format has unbalanced braces: the '{' at position 5 is not closed")]
    [InlineData("INV-{number", "invoice_number_format has unbalanced braces: the '{' at position 5 is not closed")]
    [InlineData("INV-number}", "invoice_number_format has unbalanced braces: the '}' at position 11 closes nothing")]
    [InlineData("INV {number}", "invoice_number_format may only contain ASCII letters, digits, '-', '_', '/', '.' and placeholders; ' ' at position 4 is not allowed")]
    [InlineData("=1+{number}", "invoice_number_format may only contain ASCII letters, digits, '-', '_', '/', '.' and placeholders; '=' at position 1 is not allowed")]
    [InlineData("{number:6}", "invoice_number_format has an invalid padding in {number:6}: write a zero and a width of 1 to 12, as in {number:06} or {number:04d}")]
    [InlineData("{number:00}", "invoice_number_format has an invalid padding in {number:00}: write a zero and a width of 1 to 12, as in {number:06} or {number:04d}")]
    [InlineData("{number:013}", "invoice_number_format has an invalid padding in {number:013}: write a zero and a width of 1 to 12, as in {number:06} or {number:04d}")]
    [InlineData("{number:06x}", "invoice_number_format has an invalid padding in {number:06x}: write a zero and a width of 1 to 12, as in {number:06} or {number:04d}")]
    [InlineData("{number:-6d}", "invoice_number_format has an invalid padding in {number:-6d}: write a zero and a width of 1 to 12, as in {number:06} or {number:04d}")]
    public void RejectsBadPatternsWithAClearMessage(string? pattern, string expected)
    {
        Assert.False(InvoiceNumberFormat.TryParse(pattern, out var format, out var error));

        Assert.Null(format);
        Assert.Equal(new FieldError(InvoiceNumberFormat.PatternField, expected), error);
        if (pattern is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => InvoiceNumberFormat.Parse(pattern)).Message);
        }
    }

    [Fact]
    public void PatternsAreBounded()
    {
        var tooLong = "INV-" + new string('X', InvoiceNumberFormat.MaxPatternLength) + "{number}";

        Assert.Equal(
            $"invoice_number_format must be at most 64 characters (got {tooLong.Length})",
            Assert.Throws<FormatException>(() => InvoiceNumberFormat.Parse(tooLong)).Message);
    }

    [Fact]
    public void AFormatWithoutAYearSaysSoSoItsSequenceDoesNotRestartYearly()
    {
        Assert.False(InvoiceNumberFormat.Parse("ACME-{number:06}").IncludesYear);
    }

    [Theory]
    [InlineData(2025, 0)]
    [InlineData(2025, -1)]
    [InlineData(2025, 1_000_000_000_000)]
    [InlineData(0, 1)]
    [InlineData(10_000, 1)]
    public void NumbersStartAtOneAndYearsHaveFourDigits(int year, long number)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceNumberFormat.Default.Format(year, number));
    }

    [Fact]
    public void FormatsAreEqualWhenTheirPatternsAre()
    {
        Assert.Equal(InvoiceNumberFormat.Default, InvoiceNumberFormat.Parse("INV-{year}-{number:06}"));
        Assert.NotEqual(InvoiceNumberFormat.Default, InvoiceNumberFormat.Parse("INV-{year}-{number:06d}"));
        Assert.Equal("INV-{year}-{number:06}", InvoiceNumberFormat.Default.ToString());
    }

    [Theory]
    [InlineData("INV-{year}-{number:06}", 2026, "INV-2026-", 6, "")]
    [InlineData("{number}", 2026, "", 0, "")]
    [InlineData("ACME/{number:05}/{year}", 987, "ACME/", 5, "/0987")]
    [InlineData("a_b.c-{year}.{number:03d}", 2025, "a_b.c-2025.", 3, "")]
    public void SplitsTheTextAroundTheDigitsSoThatItSpellsWhatFormatSpells(string pattern, int year, string before, int width, string after)
    {
        var format = InvoiceNumberFormat.Parse(pattern);

        Assert.Equal((before, width, after), format.Around(year));
        foreach (var number in new[] { 1L, 42L, 1_234_567L, InvoiceNumberFormat.MaxNumber })
        {
            var digits = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(format.Format(year, number), before + digits.PadLeft(width, '0') + after);
        }
    }
}
