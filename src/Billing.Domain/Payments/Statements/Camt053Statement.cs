using System.Xml;
using System.Xml.Linq;

namespace Billing.Domain.Payments;

/// <summary>
/// An ISO 20022 bank-to-customer statement (camt.053, any version: elements are matched by name in
/// the document's own namespace). Each Stmt/Ntry is a booking: Amt with its Ccy, CdtDbtInd, BookgDt
/// (Dt or DtTm) and the bank's AcctSvcrRef. The remittance comes from NtryDtls/TxDtls: RmtInf/Strd/
/// CdtrRefInf/Ref, RmtInf/Ustrd, and the counterparty from RltdPties (Dbtr and DbtrAcct for money
/// received, Cdtr and CdtrAcct for money paid out). A batch booking, one Ntry with several TxDtls,
/// becomes one line per TxDtls with its own amount, which must add up to the Ntry's.
/// No DTD, no external entities: the document is read as data only.
/// </summary>
public static class Camt053Statement
{
    public const string Format = "camt.053";

    private const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = BankStatement.MaxBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Reads the statement; throws <see cref="StatementFormatException"/> naming the line of the first problem.</summary>
    public static BankStatement Parse(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > BankStatement.MaxBytes)
        {
            throw new StatementFormatException(0, $"The statement must be at most {BankStatement.MaxBytes} bytes (got {xml.Length}).");
        }

        var root = Load(xml).Root!;
        if (root.Name.LocalName != "Document" || !root.Name.NamespaceName.StartsWith(NamespacePrefix, StringComparison.Ordinal))
        {
            throw new StatementFormatException(LineOf(root), $"the root element must be Document in a {NamespacePrefix}… namespace (a camt.053 statement)");
        }

        var ns = root.Name.Namespace;
        var statements = root.Elements(ns + "BkToCstmrStmt").Elements(ns + "Stmt").ToList();
        if (statements.Count == 0)
        {
            throw new StatementFormatException(LineOf(root), "the document has no BkToCstmrStmt/Stmt");
        }

        var entries = new List<StatementEntry>();
        foreach (var entry in statements.SelectMany(s => s.Elements(ns + "Ntry")))
        {
            entries.AddRange(new Camt053EntryReader(ns, entry).Read());
            if (entries.Count > BankStatement.MaxEntries)
            {
                throw new StatementFormatException(LineOf(entry), $"a statement may have at most {BankStatement.MaxEntries} lines; split it");
            }
        }

        return new BankStatement(Format, entries);
    }

    private static XDocument Load(byte[] xml)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), Settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException malformed)
        {
            // The message names line and position; the reader never echoes more than a token.
            throw new StatementFormatException(malformed.LineNumber, $"the XML is malformed: {malformed.Message}");
        }
    }

    internal static int LineOf(XElement element) => ((IXmlLineInfo)element).LineNumber;
}
