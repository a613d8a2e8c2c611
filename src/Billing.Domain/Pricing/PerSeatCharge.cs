namespace Billing.Domain;

/// <summary>
/// A price per seat (screen, user) per period, e.g. seed 003's Pro Plus at $15 per screen per
/// month. One line: quantity = the period's seat count, zero seats included.
/// </summary>
public sealed record PerSeatCharge : Charge
{
    public PerSeatCharge(string service, Money pricePerSeat)
        : base(service)
    {
        var errors = new List<FieldError>();
        Validate(errors, path: "", service, pricePerSeat.Amount, pricePerSeat.Currency);
        FieldRules.ThrowIfAny("per_seat charge", errors);
        PricePerSeat = AtCurrencyScale(pricePerSeat);
    }

    public Money PricePerSeat { get; }

    public override ChargeType Type => ChargeType.PerSeat;

    internal override IEnumerable<Money> Prices => [PricePerSeat];

    internal static void Validate(List<FieldError> errors, string path, string? service, decimal? pricePerSeat, Currency? currency)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        ChargeRules.CheckPrice(errors, ChargeRules.At(path, "price_per_seat"), pricePerSeat, currency);
    }

    internal override Money FixedPricePerPeriod(int seats, Currency currency) => PricePerSeat * seats;

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding) =>
        [Line(Service, usage.Seats, PricePerSeat, rounding)];

    internal override ChargeDraft ToDraft() => new(ApiNames<ChargeType>.Of(Type), Service, PricePerSeat: PricePerSeat.Amount);
}
