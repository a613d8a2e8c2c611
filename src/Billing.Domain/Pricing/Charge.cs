namespace Billing.Domain;

/// <summary>
/// One charge of a <see cref="PricePlan"/>. A closed hierarchy: the six sealed records in this
/// folder are all there is (the internal abstract members keep other assemblies from adding one),
/// so the pricer, the drafts and the proration know every case. Every instance satisfies the rules
/// of <see cref="PricePlan.TryCreate"/>; the constructors throw <see cref="CatalogValidationException"/>
/// otherwise. Properties are get-only, so a <c>with</c> expression cannot slip past those rules.
/// </summary>
public abstract record Charge
{
    /// <summary>Leaves room in <see cref="InvoiceLine.MaxServiceLength"/> for a line's tier or package suffix.</summary>
    public const int MaxServiceLength = 100;

    /// <summary>Unit prices may go below the minor unit (€0.0005 per call), down to a millionth.</summary>
    public const int MaxUnitPriceDecimalPlaces = 6;

    private protected Charge(string service)
    {
        Service = service;
    }

    /// <summary>What the invoice line is called, e.g. "API Calls"; unique within a plan (ignoring case).</summary>
    public string Service { get; }

    public abstract ChargeType Type { get; }

    /// <summary>
    /// Flat fees and per-seat charges: known before the period is used, so they are what a plan
    /// change prorates. Everything else is metered and priced on what the period consumed.
    /// </summary>
    public bool IsRecurringFixed => Type is ChargeType.Flat or ChargeType.PerSeat;

    /// <summary>Every amount the charge holds, so a plan can check they are all in its currency.</summary>
    internal abstract IEnumerable<Money> Prices { get; }

    /// <summary>What the charge costs per period before any usage; zero for metered charges.</summary>
    internal virtual Money FixedPricePerPeriod(int seats, Currency currency) => Money.Zero(currency);

    internal abstract IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding);

    internal abstract ChargeDraft ToDraft();

    /// <summary>The rounding policy applies per line: quantity × unit price, rounded once.</summary>
    private protected static InvoiceLine Line(string service, decimal quantity, Money unitPrice, RoundingPolicy rounding) =>
        new(service, quantity, unitPrice, (unitPrice * quantity).RoundTo(rounding));

    /// <summary>A whole-minor-unit price at the currency's scale, so EUR 10 reads "10.00".</summary>
    private protected static Money AtCurrencyScale(Money price) => Money.FromMinorUnits(price.ToMinorUnits(), price.Currency);
}
