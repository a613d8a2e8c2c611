using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class CreditNoteNumberFormatTests
{
    [Fact]
    public void The_default_format_is_CN_year_and_six_digits()
    {
        Assert.Equal("CN-", CreditNoteNumberFormat.Default.Prefix);
        Assert.Equal("CN-2026-000001", CreditNoteNumberFormat.Default.Format(2026, 1));
        Assert.Equal("CN-{year}-{number:06}", CreditNoteNumberFormat.Default.ToString());
    }

    [Theory]
    [InlineData("CN-", 2026, 42, "CN-2026-000042")]
    [InlineData("CN-", 2026, 1_234_567, "CN-2026-1234567")]
    [InlineData("CN-", 987, 3, "CN-0987-000003")]
    [InlineData("ACME/CN/", 2026, 7, "ACME/CN/2026-000007")]
    [InlineData("G", 2026, 999_999_999_999, "G2026-999999999999")]
    public void Formats_and_reads_back_the_same_year_and_sequence(string prefix, int year, long sequence, string expected)
    {
        var format = CreditNoteNumberFormat.Create(prefix);

        Assert.Equal(expected, format.Format(year, sequence));
        Assert.Equal((year, sequence), format.ParseNumber(expected));
    }

    [Theory]
    [InlineData("INV-2026-000001", "credit note number must start with CN-")]
    [InlineData("cn-2026-000001", "credit note number must start with CN-")]
    [InlineData("CN-26-000001", "credit note number must have a four-digit year after CN-")]
    [InlineData("CN-0000-000001", "credit note number must have a four-digit year after CN-")]
    [InlineData("CN-2026000001", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-00001", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-000000", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-0000001", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-00000A", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-000001 ", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("CN-2026-1000000000000", "credit note number must be CN-2026- followed by a sequence of 6 or more digits from 1, as in CN-2026-000001")]
    [InlineData("", "credit note number is required")]
    [InlineData(null, "credit note number is required")]
    public void Numbers_it_does_not_spell_are_rejected(string? text, string expected)
    {
        Assert.False(CreditNoteNumberFormat.Default.TryParseNumber(text, out var year, out var sequence, out var reason));

        Assert.Equal((0, 0L), (year, sequence));
        Assert.Equal(expected, reason);
        if (text is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => CreditNoteNumberFormat.Default.ParseNumber(text)).Message);
        }
    }

    [Fact]
    public void Overlong_numbers_are_rejected_before_they_are_read()
    {
        var text = "CN-2026-" + new string('0', 40) + "1";

        Assert.False(CreditNoteNumberFormat.Default.TryParseNumber(text, out _, out _, out var reason));
        Assert.Equal($"credit note number must be at most 41 characters (got {text.Length})", reason);
    }

    [Theory]
    [InlineData(null, "credit_note_prefix is required")]
    [InlineData("", "credit_note_prefix is required")]
    [InlineData("ABCDEFGHIJKLMNOPQ", "credit_note_prefix must be at most 16 characters (got 17)")]
    [InlineData("1CN-", "credit_note_prefix must start with a letter")]
    [InlineData("-CN", "credit_note_prefix must start with a letter")]
    [InlineData("CN {", "credit_note_prefix may only contain ASCII letters, digits, '-', '_', '/' and '.'")]
    [InlineData("CN{year}", "credit_note_prefix may only contain ASCII letters, digits, '-', '_', '/' and '.'")]
    public void Prefixes_are_short_safe_text_starting_with_a_letter(string? prefix, string expected)
    {
        Assert.False(CreditNoteNumberFormat.TryCreate(prefix, out var format, out var reason));

        Assert.Null(format);
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData(2026, 0)]
    [InlineData(2026, 1_000_000_000_000)]
    [InlineData(0, 1)]
    [InlineData(10_000, 1)]
    public void Sequences_start_at_one_and_years_have_four_digits(int year, long sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditNoteNumberFormat.Default.Format(year, sequence));
    }

    [Fact]
    public void Formats_are_equal_when_their_prefixes_are()
    {
        Assert.Equal(CreditNoteNumberFormat.Default, CreditNoteNumberFormat.Create("CN-"));
        Assert.Equal(CreditNoteNumberFormat.Default.GetHashCode(), CreditNoteNumberFormat.Create("CN-").GetHashCode());
        Assert.NotEqual(CreditNoteNumberFormat.Default, CreditNoteNumberFormat.Create("CN_"));
    }
}
