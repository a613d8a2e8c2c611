using System.Xml.Linq;

namespace Billing.Domain.Payments;

/// <summary>Reads one camt.053 Ntry into its lines: itself, or one per TxDtls of a batch booking.</summary>
internal sealed class Camt053EntryReader(XNamespace ns, XElement entry)
{
    private const string BankLineIdPath = "AcctSvcrRef";

    private readonly int line = Camt053Statement.LineOf(entry);

    public IReadOnlyList<StatementEntry> Read()
    {
        var amountElement = Required(entry, "Amt");
        var currency = StatementFields.CurrencyCode(amountElement.Attribute("Ccy")?.Value, line);
        var amount = StatementFields.Amount(amountElement.Value, currency, signed: false, line);
        var direction = Child(entry, "CdtDbtInd")?.Value.Trim() switch
        {
            "CRDT" => StatementDirection.Credit,
            "DBIT" => StatementDirection.Debit,
            _ => throw new StatementFormatException(line, "CdtDbtInd must be CRDT or DBIT"),
        };
        var bookingDate = Required(entry, "BookgDt");
        var booked = StatementFields.Date((Child(bookingDate, "Dt") ?? Child(bookingDate, "DtTm"))?.Value, "BookgDt", line);
        var entryId = Child(entry, BankLineIdPath)?.Value;
        var transactions = entry.Elements(ns + "NtryDtls").Elements(ns + "TxDtls").ToList();
        if (transactions.Count <= 1)
        {
            var transaction = transactions.FirstOrDefault();
            var id = StatementFields.BankLineId(entryId ?? Path(transaction, "Refs", BankLineIdPath)?.Value, BankLineIdPath, line);
            return [Entry(line, id, booked, amount, currency, direction, transaction)];
        }

        var lines = new List<StatementEntry>(transactions.Count);
        for (var i = 0; i < transactions.Count && lines.Count < BankStatement.MaxEntries; i++)
        {
            var transaction = transactions[i];
            var at = Camt053Statement.LineOf(transaction);
            var own = Child(transaction, "Amt") ?? Path(transaction, "AmtDtls", "TxAmt", "Amt")
                ?? throw new StatementFormatException(at, "each TxDtls of a batch booking needs its own Amt");
            if (StatementFields.CurrencyCode(own.Attribute("Ccy")?.Value, at) != currency)
            {
                throw new StatementFormatException(at, $"a TxDtls amount must be in the entry's currency {currency}");
            }

            var id = Path(transaction, "Refs", BankLineIdPath)?.Value ?? (entryId is null ? null : $"{entryId.Trim()}/{i + 1}");
            lines.Add(Entry(at, StatementFields.BankLineId(id, BankLineIdPath, at), booked, StatementFields.Amount(own.Value, currency, signed: false, at), currency, direction, transaction));
        }

        var sum = lines.Sum(l => l.Amount);
        return sum == amount
            ? lines
            : throw new StatementFormatException(line, $"the TxDtls amounts add up to {sum}, the entry's Amt is {amount}");
    }

    private StatementEntry Entry(int at, string id, NodaTime.LocalDate booked, decimal amount, string currency, StatementDirection direction, XElement? transaction)
    {
        var remittance = Child(transaction, "RmtInf");
        var structured = remittance?.Elements(ns + "Strd").Select(s => Path(s, "CdtrRefInf", "Ref")?.Value).FirstOrDefault(r => r is not null);
        var unstructured = string.Join(' ', remittance?.Elements(ns + "Ustrd").Select(u => u.Value) ?? []);
        var text = unstructured.Length > 0 ? unstructured : Child(transaction, "AddtlTxInf")?.Value ?? Child(entry, "AddtlNtryInf")?.Value;
        var (party, account) = direction == StatementDirection.Credit ? ("Dbtr", "DbtrAcct") : ("Cdtr", "CdtrAcct");
        var parties = Child(transaction, "RltdPties");
        var name = Path(parties, party, "Nm") ?? Path(parties, party, "Pty", "Nm");
        return new StatementEntry(
            at, id, booked, amount, currency, direction,
            StatementFields.Text(structured, CreditorReference.MaxInputLength),
            StatementFields.Text(text, RemittanceReference.MaxSearchedLength),
            StatementFields.Text(name?.Value, BankStatement.MaxCounterpartyNameLength),
            StatementFields.Account(Path(parties, account, "Id", "IBAN")?.Value));
    }

    private XElement Required(XElement parent, string name) =>
        Child(parent, name) ?? throw new StatementFormatException(Camt053Statement.LineOf(parent), $"{parent.Name.LocalName} has no {name}");

    private XElement? Child(XElement? parent, string name) => parent?.Element(ns + name);

    private XElement? Path(XElement? parent, params string[] names)
    {
        var current = parent;
        foreach (var name in names)
        {
            current = Child(current, name);
        }

        return current;
    }
}
