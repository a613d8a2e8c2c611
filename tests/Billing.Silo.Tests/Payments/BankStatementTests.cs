using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.BankTransferScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// An operator uploads the bank's statement: credit lines whose RF reference names an invoice are
/// recorded as transfers (paying the periods they cover), every line is reported, and uploading
/// the same statement again changes nothing.
/// </summary>
public sealed class BankStatementTests
{
    private static readonly string[] AllStatuses =
        ["matched_paid", "matched_partial", "already_paid", "amount_exceeds_open", "currency_mismatch", "unknown_reference", "no_reference", "debit_ignored", "duplicate"];

    public static TheoryData<string> AllDialects => Dialects;

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task ACsvStatementIsMatchedLineByLineAndUploadingItAgainChangesNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shops = await InvoicedShopsAsync(silo, 4);
        var (a, b, c, d) = (shops[0], shops[1], shops[2], shops[3]);
        await silo.PostAsync($"/api/v1/admin/invoices/{c.InvoiceId}/pay", new { reference = "CARD-1" }, HttpStatusCode.OK);
        var csv = Csv(
            $"2026-12-03,45.38,EUR,\"Invoice {a.Reference.Formatted}, thanks\",Customer A,NL91 ABNA 0417 1643 00,L-01",
            $"2026-12-03,20.00,EUR,{b.Reference.Value},Customer B,,L-02",
            $"2026-12-03,30.00,EUR,{b.Reference.Value},Customer B,,L-03",
            $"2026-12-04,25.38,EUR,rest of {b.Reference.Formatted},Customer B,,L-04",
            $"2026-12-04,45.38,EUR,{c.Reference.Value},Customer C,,L-05",
            $"2026-12-04,45.38,USD,{d.Reference.Value},Customer D,,L-06",
            "2026-12-04,45.38,EUR,RF18 5390 0754 7034,Someone,,L-07",
            "2026-12-04,12.00,EUR,Thanks for the coffee,Someone,,L-08",
            "2026-12-04,-0.10,EUR,Account fee,,,L-09",
            $"2026-12-04,45.38,EUR,{a.Reference.Value},Customer A,,L-01");

        var report = await UploadAsync(silo, csv, "text/csv");
        var again = await UploadAsync(silo, csv, "text/csv");

        Assert.Equal(("csv", 10), (report.GetProperty("format").GetString(), report.GetProperty("lines").GetInt32()));
        Assert.Equal(
            [
                ("L-01", "matched_paid", a.Number, 0m), ("L-02", "matched_partial", b.Number, 25.38m), ("L-03", "amount_exceeds_open", b.Number, 25.38m),
                ("L-04", "matched_paid", b.Number, 0m), ("L-05", "already_paid", c.Number, 0m), ("L-06", "currency_mismatch", d.Number, 45.38m),
                ("L-07", "unknown_reference", null, null), ("L-08", "no_reference", null, null), ("L-09", "debit_ignored", null, null), ("L-01", "duplicate", a.Number, 0m),
            ],
            Lines(report));
        Assert.Equal([2, 1, 1, 1, 1, 1, 1, 1, 1], Summary(report));
        var first = report.GetProperty("entries")[0];
        Assert.Equal((2, "2026-12-03", 45.38m, "EUR", "credit", a.Reference.Value, a.InvoiceId), (first.GetProperty("line").GetInt32(), first.GetProperty("booking_date").GetString(),
            first.GetProperty("amount").GetDecimal(), first.GetProperty("currency").GetString(), first.GetProperty("direction").GetString(), first.GetProperty("reference").GetString(), first.GetProperty("invoice_id").GetString()));
        Assert.Equal($"Invoice {b.Number} has EUR 25.38 open; the transfer is EUR 30.00.", report.GetProperty("entries")[2].GetProperty("detail").GetString());

        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 2, 23, 0, 0, TimeSpan.Zero), "L-01"), await PeriodAsync(silo, a));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), "L-04"), await PeriodAsync(silo, b));
        Assert.Equal("CARD-1", (await PeriodAsync(silo, c)).Reference);
        Assert.Equal(("pending", (DateTimeOffset?)null, (string?)null), await PeriodAsync(silo, d));
        Assert.Equal(1, await Closing.BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM bank_transfers WHERE bank_reference = 'L-01' AND payer_iban = 'NL91ABNA0417164300' AND payer_name = 'Customer A' AND source = 'statement'"));

        // Again: every recorded line is a duplicate, L-03 now finds its invoice paid; nothing moved.
        Assert.Equal(
            ["duplicate", "duplicate", "already_paid", "duplicate", "already_paid", "currency_mismatch", "unknown_reference", "no_reference", "debit_ignored", "duplicate"],
            Lines(again).Select(l => l.Item2));
        Assert.Equal(3, await CountAsync(silo, "bank_transfers"));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), "L-04"), await PeriodAsync(silo, b));
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task ACamt053StatementIsMatchedByStructuredAndFreeTextReferencesAndUploadingItAgainChangesNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shops = await InvoicedShopsAsync(silo, 2);
        var (e, f) = (shops[0], shops[1]);
        var xml = Camt053(e, f);

        var report = await UploadAsync(silo, xml, "application/xml");
        var again = await UploadAsync(silo, xml, "text/xml");

        Assert.Equal(("camt.053", 7), (report.GetProperty("format").GetString(), report.GetProperty("lines").GetInt32()));
        Assert.Equal(
            [
                ("C-1", "matched_paid", e.Number, 0m), ("C-2A", "matched_partial", f.Number, 25.38m), ("C-2/2", "matched_paid", f.Number, 0m),
                ("C-3", "debit_ignored", null, null), ("C-4", "unknown_reference", null, null), ("C-5", "no_reference", null, null), ("C-6", "already_paid", e.Number, 0m),
            ],
            Lines(report));
        Assert.Equal([2, 1, 1, 0, 0, 1, 1, 1, 0], Summary(report));
        Assert.Equal([7, 17, 18, 21, 25, 29, 33], report.GetProperty("entries").EnumerateArray().Select(x => x.GetProperty("line").GetInt32()));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 2, 23, 0, 0, TimeSpan.Zero), "C-1"), await PeriodAsync(silo, e));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), "C-2/2"), await PeriodAsync(silo, f));
        Assert.Equal(1, await Closing.BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM bank_transfers WHERE bank_reference = 'C-1' AND payer_name = 'Customer E' AND payer_iban = 'NL91ABNA0417164300'"));

        Assert.Equal(["duplicate", "duplicate", "duplicate", "debit_ignored", "unknown_reference", "no_reference", "already_paid"], Lines(again).Select(l => l.Item2));
        Assert.Equal(3, await CountAsync(silo, "bank_transfers"));
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task AnInvoiceNumberWithLowerCaseLettersSlashesAndDotsIsFoundByItsReference(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database, "bill/{year}.{number:04}");
        var shop = (await InvoicedShopsAsync(silo, 1))[0];

        var report = await UploadAsync(silo, Csv($"2026-12-03,45.38,EUR,{shop.Reference.Formatted.ToLowerInvariant()},A,,L-01"), "text/csv");

        Assert.Equal(("bill/2026.0001", "BILL20260001"), (shop.Number, shop.Reference.Base));
        Assert.Equal([("L-01", "matched_paid", "bill/2026.0001", 0m)], Lines(report));
        Assert.Equal("paid", (await PeriodAsync(silo, shop)).Status);
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task MalformedOversizedAndUnknownStatementsAreRefusedAndNothingIsRecorded(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];
        var badCsv = Csv($"2026-12-03,45.38,EUR,{shop.Reference.Value},A,,L-01", "2026-12-03,45;38,EUR,x,B,,L-02");

        var csv = await UploadAsync(silo, badCsv, "text/csv", HttpStatusCode.BadRequest);
        var xml = await UploadAsync(silo, "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\n</Document>", "application/xml", HttpStatusCode.BadRequest);
        var json = await UploadAsync(silo, "{}", "application/json", HttpStatusCode.UnsupportedMediaType);
        var huge = await UploadAsync(silo, Csv() + new string(' ', 4 * 1024 * 1024), "text/csv", HttpStatusCode.RequestEntityTooLarge);
        using var customer = silo.CreateClient();
        // As text/csv: a body of a type the endpoint does not take is 415 before any key is looked at.
        using var anonymous = await customer.PostAsync(new Uri("/api/v1/admin/bank-statements", UriKind.Relative), new StringContent(badCsv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(("invalid_statement", 3, "Line 3: amount '45;38' is not a decimal number like 1234.50 ('.' before the decimals, no thousands separator)"),
            (csv.GetProperty("code").GetString(), csv.GetProperty("line").GetInt32(), csv.GetProperty("detail").GetString()));
        Assert.Equal(("invalid_statement", 4), (xml.GetProperty("code").GetString(), xml.GetProperty("line").GetInt32()));
        Assert.StartsWith("Line 4: the XML is malformed:", xml.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("unsupported_media_type", "payload_too_large"), (json.GetProperty("code").GetString(), huge.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await CountAsync(silo, "bank_transfers"));
        Assert.Equal("pending", (await PeriodAsync(silo, shop)).Status);
    }

    private static IReadOnlyList<int> Summary(JsonElement report) => [.. AllStatuses.Select(s => report.GetProperty("summary").GetProperty(s).GetInt32())];

    /// <summary>
    /// E paid by a structured reference; F by a batch booking of two transfers quoting its reference
    /// in free text; a fee; a valid reference naming no invoice; a gift without one; a second payment of E.
    /// </summary>
    private static string Camt053(InvoicedShop e, InvoicedShop f) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-12-05T06:00:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>STMT-1-1</Id>
              <Ntry>
                <Amt Ccy="EUR">45.38</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-03</Dt></BookgDt><AcctSvcrRef>C-1</AcctSvcrRef>
                <NtryDtls><TxDtls>
                  <RltdPties><Dbtr><Nm>Customer E</Nm></Dbtr><DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>
                  <RmtInf><Strd><CdtrRefInf><Ref>{e.Reference.Value}</Ref></CdtrRefInf></Strd></RmtInf>
                </TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">45.38</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-04</Dt></BookgDt><AcctSvcrRef>C-2</AcctSvcrRef>
                <NtryDtls>
                  <TxDtls><Refs><AcctSvcrRef>C-2A</AcctSvcrRef></Refs><Amt Ccy="EUR">20.00</Amt><RmtInf><Ustrd>first part {f.Reference.Formatted}</Ustrd></RmtInf></TxDtls>
                  <TxDtls><Amt Ccy="EUR">25.38</Amt><RmtInf><Ustrd>{f.Reference.Value} rest</Ustrd></RmtInf></TxDtls>
                </NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-12-04</Dt></BookgDt><AcctSvcrRef>C-3</AcctSvcrRef>
                <AddtlNtryInf>Account fee {e.Reference.Value}</AddtlNtryInf>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-04</Dt></BookgDt><AcctSvcrRef>C-4</AcctSvcrRef>
                <NtryDtls><TxDtls><RmtInf><Ustrd>RF18 5390 0754 7034</Ustrd></RmtInf></TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-04</Dt></BookgDt><AcctSvcrRef>C-5</AcctSvcrRef>
                <NtryDtls><TxDtls><RmtInf><Ustrd>A gift</Ustrd></RmtInf></TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-04</Dt></BookgDt><AcctSvcrRef>C-6</AcctSvcrRef>
                <NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>{e.Reference.Formatted}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>
              </Ntry>
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;
}
