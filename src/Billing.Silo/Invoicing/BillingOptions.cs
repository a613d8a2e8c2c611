using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>How periods close and invoices are issued (section <c>Billing:Invoicing</c>).</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing:Invoicing";
    public const int MaxGracePeriodMinutes = 72 * 60;
    public const int MaxNetTermsDays = 365;

    /// <summary>How long after a period's end late events may still arrive before it closes.</summary>
    public int GracePeriodMinutes { get; set; } = 60;

    /// <summary>
    /// Each shop closes its periods on its own Orleans reminder when they are due. false: periods
    /// close only through billing runs (the API, the CLI or an outside scheduler such as the GitHub
    /// trigger), and the shops drop the reminders they had.
    /// </summary>
    public bool CloseOnReminders { get; set; } = true;

    /// <summary>
    /// Reminder closes a silo runs at once. At a month end every shop's reminder fires at the same
    /// instant; each tick only queues its shop, and this many closes drain the queue, so 100,000
    /// shops neither exhaust the connection pool nor time out their ticks.
    /// </summary>
    public int MaxConcurrentReminderCloses { get; set; } = 16;

    /// <summary>Shops a silo holds queued for a reminder close; a tick beyond it is dropped, and the reminder's next tick (a minute later) queues it again.</summary>
    public int MaxQueuedReminderCloses { get; set; } = 250_000;

    /// <summary>Days from the issue date to the due date.</summary>
    public int NetTermsDays { get; set; } = 14;

    /// <summary>Placeholders {year} and {number}, padded as {number:06} or {number:04d}.</summary>
    public string NumberFormat { get; set; } = "INV-{year}-{number:06}";

    /// <summary>Credit notes are numbered {prefix}{year}-{number:06} from their own gapless sequence, e.g. CN-2026-000001.</summary>
    public string CreditNotePrefix { get; set; } = "CN-";

    /// <summary>Who issues the invoices; gapless numbering runs per issuer and year.</summary>
    public string IssuerName { get; set; } = "Billing.Orleans";

    public IReadOnlyList<string> IssuerAddressLines { get; set; } = [];

    public string? IssuerVatId { get; set; }

    /// <summary>The account that takes bank transfers, printed on every invoice with a structured (RF) reference; null: none.</summary>
    public string? IssuerIban { get; set; }

    /// <summary>The account's BIC, printed beside the IBAN; needs <see cref="IssuerIban"/>.</summary>
    public string? IssuerBic { get; set; }

    /// <summary>The zone whose calendar year numbers the invoices.</summary>
    public string IssuerTimeZone { get; set; } = "UTC";

    /// <summary>HalfEven (banker's, the default) or HalfUp; applied per line, then once to the VAT.</summary>
    public RoundingMode Rounding { get; set; } = RoundingMode.HalfEven;

    /// <summary>A shop without a price plan pays this per request, in its customer's currency (seed 000's $0.01).</summary>
    public decimal DefaultPricePerRequest { get; set; } = 0.01m;

    /// <summary>Usage may be reported this many days back; it bounds the search for late usage.</summary>
    public int MaxBackdateDays { get; set; } = 62;

    public TimeSpan GracePeriod => TimeSpan.FromMinutes(GracePeriodMinutes);

    /// <summary>The parsed <see cref="NumberFormat"/>; valid once the options have been validated.</summary>
    public InvoiceNumberFormat ParsedNumberFormat => InvoiceNumberFormat.Parse(NumberFormat);

    /// <summary>
    /// The issuer key test-clock invoices and credit notes are counted under: a series of their own, so
    /// deleting a clock (and its documents) leaves no gap in the real numbering.
    /// </summary>
    public string TestClockIssuer => $"{IssuerName} (test clocks)";

    /// <summary>The parsed <see cref="CreditNotePrefix"/>; valid once the options have been validated.</summary>
    public Domain.Payments.CreditNoteNumberFormat ParsedCreditNotePrefix => Domain.Payments.CreditNoteNumberFormat.Create(CreditNotePrefix);

    /// <summary>The issuer; throws when a field (the IBAN's check digits, the BIC's shape…) is wrong, which <see cref="Validate"/> reports at start.</summary>
    public InvoiceIssuer Issuer => new(
        IssuerName, IssuerAddressLines, IssuerVatId,
        IssuerIban is null ? null : Domain.Payments.Iban.Parse(IssuerIban),
        IssuerBic is null ? null : Domain.Payments.Bic.Parse(IssuerBic));

    public RoundingPolicy RoundingPolicy => new(Rounding);

    public IEnumerable<string> Validate()
    {
        if (GracePeriodMinutes is < 0 or > MaxGracePeriodMinutes) yield return $"Billing:Invoicing:GracePeriodMinutes must be 0..{MaxGracePeriodMinutes}.";
        if (NetTermsDays is < 0 or > MaxNetTermsDays) yield return $"Billing:Invoicing:NetTermsDays must be 0..{MaxNetTermsDays}.";
        if (string.IsNullOrWhiteSpace(IssuerName) || IssuerName.Length > 200) yield return "Billing:Invoicing:IssuerName must be 1..200 characters.";
        if (!InvoiceNumberFormat.TryParse(NumberFormat, out _, out var formatError)) yield return $"Billing:Invoicing:NumberFormat: {formatError.Message}.";
        if (!Domain.Payments.CreditNoteNumberFormat.TryCreate(CreditNotePrefix, out _, out var prefixError)) yield return $"Billing:Invoicing:CreditNotePrefix: {prefixError}.";
        if (!TryIssuer(out var issuerError)) yield return $"Billing:Invoicing: the issuer is invalid: {issuerError}";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(IssuerTimeZone) is null) yield return $"Billing:Invoicing:IssuerTimeZone '{IssuerTimeZone}' is not an IANA zone.";
        if (!Enum.IsDefined(Rounding)) yield return "Billing:Invoicing:Rounding must be HalfEven or HalfUp.";
        if (DefaultPricePerRequest is < 0m or > 1_000m) yield return "Billing:Invoicing:DefaultPricePerRequest must be 0..1000.";
        if (MaxBackdateDays is < 0 or > 366) yield return "Billing:Invoicing:MaxBackdateDays must be 0..366.";
        if (MaxConcurrentReminderCloses is < 1 or > 256) yield return "Billing:Invoicing:MaxConcurrentReminderCloses must be 1..256.";
        if (MaxQueuedReminderCloses is < 1 or > 10_000_000) yield return "Billing:Invoicing:MaxQueuedReminderCloses must be 1..10000000.";
    }

    private bool TryIssuer(out string? error)
    {
        try
        {
            _ = Issuer;
            error = null;
            return true;
        }
        catch (Exception invalid) when (invalid is ArgumentException or FormatException)
        {
            error = invalid.Message;
            return false;
        }
    }
}
