namespace Billing.Domain;

/// <summary>
/// A price per metered unit, e.g. $0.01 per request (seed 000), or €0.0005 per call to the
/// endpoints under "/api/calls" (seed 004's per-service prices). One line, zero units included:
/// quantity = the units, amount = quantity × unit price rounded once.
/// </summary>
public sealed record PerUnitCharge : Charge
{
    public const int MaxEndpointPrefixLength = 200;

    public PerUnitCharge(string service, UsageMetric metric, string? endpointPrefix, Money unitPrice)
        : base(service)
    {
        var errors = new List<FieldError>();
        ChargeRules.CheckDefined(errors, "metric", metric);
        Validate(errors, path: "", service, endpointPrefix, unitPrice.Amount);
        FieldRules.ThrowIfAny("per_unit charge", errors);
        Metric = metric;
        EndpointPrefix = endpointPrefix;
        UnitPrice = unitPrice;
    }

    public UsageMetric Metric { get; }

    /// <summary>
    /// Null counts every endpoint. Otherwise only endpoints whose path starts with it (ordinal, so
    /// "/api/calls" also matches "/api/callsv2"; end it with "/" to mean one path segment).
    /// </summary>
    public string? EndpointPrefix { get; }

    /// <summary>May carry up to <see cref="Charge.MaxUnitPriceDecimalPlaces"/> decimals.</summary>
    public Money UnitPrice { get; }

    public override ChargeType Type => ChargeType.PerUnit;

    internal override IEnumerable<Money> Prices => [UnitPrice];

    internal static void Validate(List<FieldError> errors, string path, string? service, string? endpointPrefix, decimal? unitPrice)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        CheckEndpointPrefix(errors, ChargeRules.At(path, "endpoint_prefix"), endpointPrefix);
        ChargeRules.CheckUnitPrice(errors, ChargeRules.At(path, "unit_price"), unitPrice);
    }

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding) =>
        [Line(Service, usage.Quantity(Metric, EndpointPrefix), UnitPrice, rounding)];

    internal override ChargeDraft ToDraft() =>
        new(ApiNames<ChargeType>.Of(Type), Service, Metric: ApiNames<UsageMetric>.Of(Metric), EndpointPrefix: EndpointPrefix, UnitPrice: UnitPrice.Amount);

    /// <summary>
    /// A prefix starts with "/": usage keeps unnamed and overflow endpoints under "(none)" and
    /// "(other)" (see <see cref="PeriodUsage"/>), which no prefix can then match by accident.
    /// </summary>
    private static void CheckEndpointPrefix(List<FieldError> errors, string field, string? prefix)
    {
        if (prefix is null)
        {
            return;
        }

        if (prefix.Length is 0 or > MaxEndpointPrefixLength || prefix[0] != '/' || prefix.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(new FieldError(field, $"{field} must start with '/', have no spaces or control characters and be at most {MaxEndpointPrefixLength} characters"));
        }
    }
}
