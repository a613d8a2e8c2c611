using System.Text;

namespace Billing.Domain.Payments;

/// <summary>
/// A bank statement as CSV (RFC 4180: comma-separated, fields with a comma or quote in double
/// quotes, quotes doubled; UTF-8, with or without a byte order mark). The first line is the header
/// naming the <see cref="Columns"/> in any order; every further non-blank line is one booking. The
/// amount is signed: positive is money received (credit), negative money paid out (debit).
/// A line break inside a quoted field is not supported: remittance text is one line.
/// </summary>
public static class StatementCsv
{
    public const string Format = "csv";

    public const string BookingDate = "booking_date";
    public const string Amount = "amount";
    public const string Currency = "currency";
    public const string Reference = "reference";
    public const string CounterpartyName = "counterparty_name";
    public const string CounterpartyIban = "counterparty_iban";
    public const string BankLineId = "bank_line_id";

    /// <summary>The documented header, in the documented order.</summary>
    public static IReadOnlyList<string> Columns { get; } = [BookingDate, Amount, Currency, Reference, CounterpartyName, CounterpartyIban, BankLineId];

    public static string Header { get; } = string.Join(',', Columns);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the statement; throws <see cref="StatementFormatException"/> naming the first bad line.</summary>
    public static BankStatement Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > BankStatement.MaxBytes)
        {
            throw new StatementFormatException(0, $"The statement must be at most {BankStatement.MaxBytes} bytes (got {utf8.Length}).");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new StatementFormatException(0, "The statement is not UTF-8 text.");
        }

        var lines = text.Split('\n');
        if (string.IsNullOrWhiteSpace(lines[0]))
        {
            throw new StatementFormatException(1, $"the first line must be the header {Header}");
        }

        var header = ReadHeader(lines[0].TrimEnd('\r'));
        var entries = new List<StatementEntry>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (entries.Count == BankStatement.MaxEntries)
            {
                throw new StatementFormatException(i + 1, $"a statement may have at most {BankStatement.MaxEntries} lines; split it");
            }

            entries.Add(ReadEntry(Fields(line, i + 1), header, i + 1));
        }

        return new BankStatement(Format, entries);
    }

    /// <summary>Column name → its position; every documented column exactly once, nothing else.</summary>
    private static Dictionary<string, int> ReadHeader(string line)
    {
        var names = Fields(line, 1);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim().ToLowerInvariant();
            if (!Columns.Contains(name, StringComparer.Ordinal) || !positions.TryAdd(name, i))
            {
                throw new StatementFormatException(1, $"the header must name the columns {Header} (any order, each once); column {i + 1} is '{ShownText.Clip(names[i], 40)}'");
            }
        }

        var missing = Columns.Where(c => !positions.ContainsKey(c)).ToList();
        return missing.Count == 0
            ? positions
            : throw new StatementFormatException(1, $"the header lacks {string.Join(", ", missing)}; it must be {Header}");
    }

    private static StatementEntry ReadEntry(List<string> fields, Dictionary<string, int> header, int line)
    {
        if (fields.Count != header.Count)
        {
            throw new StatementFormatException(line, $"has {fields.Count} fields; the header has {header.Count}");
        }

        string Field(string name) => fields[header[name]];
        var currency = StatementFields.CurrencyCode(Field(Currency), line);
        var amount = StatementFields.Amount(Field(Amount), currency, signed: true, line);
        return new StatementEntry(
            line,
            StatementFields.BankLineId(Field(BankLineId), BankLineId, line),
            StatementFields.Date(Field(BookingDate), BookingDate, line),
            Math.Abs(amount),
            currency,
            amount > 0m ? StatementDirection.Credit : StatementDirection.Debit,
            null,
            StatementFields.Text(Field(Reference), RemittanceReference.MaxSearchedLength),
            StatementFields.Text(Field(CounterpartyName), BankStatement.MaxCounterpartyNameLength),
            StatementFields.Account(Field(CounterpartyIban)));
    }

    /// <summary>The fields of one line; at most one more than the header has, so a runaway line costs little.</summary>
    private static List<string> Fields(string line, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            if (fields.Count > Columns.Count)
            {
                throw new StatementFormatException(lineNumber, $"has more than {Columns.Count} fields");
            }

            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i = QuotedField(line, i + 1, field, lineNumber);
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        throw new StatementFormatException(lineNumber, $"a quote at position {i + 1} is inside an unquoted field; quote the whole field and double the quote");
                    }

                    field.Append(line[i++]);
                }
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }

    /// <summary>Reads a quoted field's text from <paramref name="start"/> (after the opening quote); returns the position after the closing one.</summary>
    private static int QuotedField(string line, int start, StringBuilder field, int lineNumber)
    {
        var i = start;
        while (i < line.Length)
        {
            if (line[i] != '"')
            {
                field.Append(line[i++]);
            }
            else if (i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i += 2;
            }
            else if (i + 1 == line.Length || line[i + 1] == ',')
            {
                return i + 1;
            }
            else
            {
                throw new StatementFormatException(lineNumber, $"the quoted field ends at position {i + 1} but is not followed by a comma");
            }
        }

        throw new StatementFormatException(lineNumber, "a quoted field is not closed (line breaks inside fields are not supported)");
    }
}
