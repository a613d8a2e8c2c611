namespace Billing.Domain;

/// <summary>A fixed amount per period, e.g. a EUR 49.00 platform fee. One line: quantity 1.</summary>
public sealed record FlatFeeCharge : Charge
{
    public FlatFeeCharge(string service, Money amount)
        : base(service)
    {
        var errors = new List<FieldError>();
        Validate(errors, path: "", service, amount.Amount, amount.Currency);
        FieldRules.ThrowIfAny("flat charge", errors);
        Amount = AtCurrencyScale(amount);
    }

    public Money Amount { get; }

    public override ChargeType Type => ChargeType.Flat;

    internal override IEnumerable<Money> Prices => [Amount];

    internal static void Validate(List<FieldError> errors, string path, string? service, decimal? amount, Currency? currency)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        ChargeRules.CheckPrice(errors, ChargeRules.At(path, "amount"), amount, currency);
    }

    internal override Money FixedPricePerPeriod(int seats, Currency currency) => Amount;

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding) =>
        [Line(Service, 1m, Amount, rounding)];

    internal override ChargeDraft ToDraft() => new(ApiNames<ChargeType>.Of(Type), Service, Amount: Amount.Amount);
}
