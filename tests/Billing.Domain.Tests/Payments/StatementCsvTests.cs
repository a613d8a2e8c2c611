using System.Text;
using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class StatementCsvTests
{
    private const string Header = "booking_date,amount,currency,reference,counterparty_name,counterparty_iban,bank_line_id";

    [Fact]
    public void Lines_are_read_exactly_with_quotes_signs_and_any_column_order()
    {
        var csv = "\uFEFF" + Header + "\r\n"
            + "2026-12-03,45.38,EUR,\"Invoice RF54 INV2 0260 0004 2, thanks\",\"Acme \"\"Ltd\"\"\",de89 3704 0044 0532 0130 00,LINE-1\r\n"
            + "2026-12-04,-0.10,EUR,Bank fee,,,LINE-2\r\n"
            + "\r\n";

        var statement = StatementCsv.Parse(Encoding.UTF8.GetBytes(csv));

        Assert.Equal("csv", statement.Format);
        Assert.Equal(2, statement.Entries.Count);
        var (credit, debit) = (statement.Entries[0], statement.Entries[1]);
        Assert.Equal(
            new StatementEntry(2, "LINE-1", new LocalDate(2026, 12, 3), 45.38m, "EUR", StatementDirection.Credit, null, "Invoice RF54 INV2 0260 0004 2, thanks", "Acme \"Ltd\"", "DE89370400440532013000"),
            credit);
        Assert.Equal("45.38", credit.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("RF54INV2026000042", credit.FindReference()?.Value);
        Assert.Equal((3, 0.10m, StatementDirection.Debit, (string?)null, (string?)null), (debit.Line, debit.Amount, debit.Direction, debit.CounterpartyName, debit.CounterpartyIban));
    }

    [Fact]
    public void The_header_may_name_the_columns_in_another_order()
    {
        var csv = "bank_line_id,currency,amount,booking_date,reference,counterparty_iban,counterparty_name\nX1,JPY,1200,2026-12-01,RF18539007547034,,Yamada\n";

        var entry = Assert.Single(StatementCsv.Parse(Encoding.UTF8.GetBytes(csv)).Entries);

        Assert.Equal(("X1", 1200m, "JPY", "Yamada"), (entry.BankLineId, entry.Amount, entry.CurrencyCode, entry.CounterpartyName));
    }

    [Theory]
    [InlineData("", 1, "the first line must be the header")]
    [InlineData("date,amount\n", 1, "column 1 is 'date'")]
    [InlineData("booking_date,amount,currency,reference,counterparty_name,bank_line_id\n", 1, "the header lacks counterparty_iban")]
    [InlineData(Header + "\n2026-12-01,45.38,EUR,x,,,L1\n2026-12-01,\"1,000.00\",EUR,x,,,L2\n", 3, "amount '1,000.00' is not a decimal number")]
    [InlineData(Header + "\n2026-12-01,45.385,EUR,x,,,L1\n", 2, "amount '45.385' has 3 decimals; EUR has 2")]
    [InlineData(Header + "\n2026-12-01,0.00,EUR,x,,,L1\n", 2, "amount must be non-zero")]
    [InlineData(Header + "\n2026-12-01,1e3,EUR,x,,,L1\n", 2, "amount '1e3' is not a decimal number")]
    [InlineData(Header + "\n01.12.2026,1.00,EUR,x,,,L1\n", 2, "booking_date '01.12.2026' is not a date like 2026-12-01")]
    [InlineData(Header + "\n2026-12-01,1.00,eur,x,,,L1\n", 2, "currency 'eur' is not an ISO 4217 code")]
    [InlineData(Header + "\n2026-12-01,1.00,EUR,x,,,\n", 2, "bank_line_id is required")]
    [InlineData(Header + "\n2026-12-01,1.00,EUR,x,,\n", 2, "has 6 fields; the header has 7")]
    [InlineData(Header + "\n2026-12-01,1.00,EUR,\"open,,,L1\n", 2, "a quoted field is not closed")]
    [InlineData(Header + "\n2026-12-01,1.00,EUR,say \"hi\",,,L1\n", 2, "a quote at position 25 is inside an unquoted field")]
    public void Malformed_statements_are_refused_naming_the_line(string csv, int line, string reason)
    {
        var error = Assert.Throws<StatementFormatException>(() => StatementCsv.Parse(Encoding.UTF8.GetBytes(csv)));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n2026-12-01,1.00,EUR,x,M,,L1\n");
        bytes[^8] = 0xFF;

        var error = Assert.Throws<StatementFormatException>(() => StatementCsv.Parse(bytes));

        Assert.Equal("The statement is not UTF-8 text.", error.Message);
    }

    [Fact]
    public void A_statement_may_have_at_most_MaxEntries_lines()
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i <= BankStatement.MaxEntries; i++)
        {
            csv.Append("2026-12-01,1.00,EUR,,,,L").Append(i).Append('\n');
        }

        var error = Assert.Throws<StatementFormatException>(() => StatementCsv.Parse(Encoding.UTF8.GetBytes(csv.ToString())));

        Assert.Equal(BankStatement.MaxEntries + 2, error.Line);
    }

    [Fact]
    public void A_statement_larger_than_MaxBytes_is_refused_unread()
    {
        var error = Assert.Throws<StatementFormatException>(() => StatementCsv.Parse(new byte[BankStatement.MaxBytes + 1]));

        Assert.Equal(0, error.Line);
    }
}
