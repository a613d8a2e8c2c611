using System.Text;
using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class Camt053StatementTests
{
    private const string Sample =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>STMT-2026-12-03</MsgId><CreDtTm>2026-12-03T18:00:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>1</Id>
              <Ntry>
                <Amt Ccy="EUR">45.38</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd>
                <Sts>BOOK</Sts>
                <BookgDt><Dt>2026-12-03</Dt></BookgDt>
                <AcctSvcrRef>B-0001</AcctSvcrRef>
                <NtryDtls><TxDtls>
                  <RltdPties><Dbtr><Nm>Acme BV</Nm></Dbtr><DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>
                  <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF54INV2026000042</Ref></CdtrRefInf></Strd></RmtInf>
                </TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">10.00</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd>
                <BookgDt><DtTm>2026-12-04T09:30:00+01:00</DtTm></BookgDt>
                <AcctSvcrRef>B-0002</AcctSvcrRef>
                <NtryDtls><TxDtls>
                  <RltdPties><Dbtr><Pty><Nm>Globex</Nm></Pty></Dbtr></RltdPties>
                  <RmtInf><Ustrd>Invoice RF18 5390</Ustrd><Ustrd>0754 7034 thanks</Ustrd></RmtInf>
                </TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">0.10</Amt>
                <CdtDbtInd>DBIT</CdtDbtInd>
                <BookgDt><Dt>2026-12-04</Dt></BookgDt>
                <AcctSvcrRef>B-0003</AcctSvcrRef>
                <AddtlNtryInf>Account fee</AddtlNtryInf>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">30.01</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd>
                <BookgDt><Dt>2026-12-05</Dt></BookgDt>
                <AcctSvcrRef>B-0004</AcctSvcrRef>
                <NtryDtls>
                  <TxDtls><Refs><AcctSvcrRef>B-0004-A</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>no reference</Ustrd></RmtInf></TxDtls>
                  <TxDtls><Amt Ccy="EUR">20.01</Amt><RmtInf><Ustrd>RF18539007547034</Ustrd></RmtInf></TxDtls>
                </NtryDtls>
              </Ntry>
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    [Fact]
    public void Entries_are_read_exactly_with_references_parties_and_batch_bookings_split()
    {
        var statement = Camt053Statement.Parse(Encoding.UTF8.GetBytes(Sample));

        Assert.Equal("camt.053", statement.Format);
        Assert.Equal(
            [
                new StatementEntry(7, "B-0001", new LocalDate(2026, 12, 3), 45.38m, "EUR", StatementDirection.Credit, "RF54INV2026000042", null, "Acme BV", "NL91ABNA0417164300"),
                new StatementEntry(18, "B-0002", new LocalDate(2026, 12, 4), 10.00m, "EUR", StatementDirection.Credit, null, "Invoice RF18 5390 0754 7034 thanks", "Globex", null),
                new StatementEntry(28, "B-0003", new LocalDate(2026, 12, 4), 0.10m, "EUR", StatementDirection.Debit, null, "Account fee", null, null),
                new StatementEntry(41, "B-0004-A", new LocalDate(2026, 12, 5), 10.00m, "EUR", StatementDirection.Credit, null, "no reference", null, null),
                new StatementEntry(42, "B-0004/2", new LocalDate(2026, 12, 5), 20.01m, "EUR", StatementDirection.Credit, null, "RF18539007547034", null, null),
            ],
            statement.Entries);
        Assert.Equal(
            ["RF54INV2026000042", "RF18539007547034", null, null, "RF18539007547034"],
            statement.Entries.Select(e => e.FindReference()?.Value));
    }

    [Fact]
    public void Other_camt053_versions_are_read_by_element_name()
    {
        var xml = Sample.Replace("camt.053.001.02", "camt.053.001.08", StringComparison.Ordinal);

        Assert.Equal(5, Camt053Statement.Parse(Encoding.UTF8.GetBytes(xml)).Entries.Count);
    }

    [Theory]
    [InlineData("<Amt Ccy=\"EUR\">45.38</Amt>", "<Amt Ccy=\"EUR\">45,38</Amt>", 7, "amount '45,38' is not a decimal number")]
    [InlineData("<Amt Ccy=\"EUR\">45.38</Amt>", "<Amt>45.38</Amt>", 7, "currency '' is not an ISO 4217 code")]
    [InlineData("<Amt Ccy=\"EUR\">45.38</Amt>", "", 7, "Ntry has no Amt")]
    [InlineData("<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>", 28, "CdtDbtInd must be CRDT or DBIT")]
    [InlineData("<AcctSvcrRef>B-0003</AcctSvcrRef>", "", 28, "AcctSvcrRef is required")]
    [InlineData("<Dt>2026-12-03</Dt>", "<Dt>03.12.2026</Dt>", 7, "BookgDt '03.12.2026' is not a date")]
    [InlineData("<Amt Ccy=\"EUR\">30.01</Amt>", "<Amt Ccy=\"EUR\">30.00</Amt>", 35, "the TxDtls amounts add up to 30.01, the entry's Amt is 30.00")]
    [InlineData("<Amt Ccy=\"EUR\">20.01</Amt>", "", 42, "each TxDtls of a batch booking needs its own Amt")]
    [InlineData("</Stmt>", "</Stmnt>", 45, "the XML is malformed")]
    [InlineData("camt.053.001.02", "camt.054.001.02", 2, "the root element must be Document")]
    public void Malformed_statements_are_refused_naming_the_line(string find, string replacement, int line, string reason)
    {
        var xml = Sample.Replace(find, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<StatementFormatException>(() => Camt053Statement.Parse(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_type_declaration_is_refused_so_no_entity_is_ever_expanded()
    {
        var xml = Sample.Replace("<Document ", "<!DOCTYPE Document [<!ENTITY x \"xx\">]>\n<Document ", StringComparison.Ordinal);

        var error = Assert.Throws<StatementFormatException>(() => Camt053Statement.Parse(Encoding.UTF8.GetBytes(xml)));

        Assert.Contains("the XML is malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_larger_than_MaxBytes_is_refused_unread()
    {
        var error = Assert.Throws<StatementFormatException>(() => Camt053Statement.Parse(new byte[BankStatement.MaxBytes + 1]));

        Assert.Equal(0, error.Line);
    }
}
