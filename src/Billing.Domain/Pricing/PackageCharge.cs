using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// A price per started package of units, e.g. €5.00 per 1,000 requests. Partial packages round
/// up: 2,001 units at 1,000 per package are 3 packages. One line: quantity = packages.
/// </summary>
public sealed record PackageCharge : Charge
{
    public PackageCharge(string service, UsageMetric metric, long packageSize, Money pricePerPackage)
        : base(service)
    {
        var errors = new List<FieldError>();
        ChargeRules.CheckDefined(errors, "metric", metric);
        Validate(errors, path: "", service, packageSize, pricePerPackage.Amount, pricePerPackage.Currency);
        FieldRules.ThrowIfAny("package charge", errors);
        Metric = metric;
        PackageSize = packageSize;
        PricePerPackage = AtCurrencyScale(pricePerPackage);
    }

    public UsageMetric Metric { get; }

    /// <summary>Units per package, 1..<see cref="BillableUsage.MaxQuantity"/>.</summary>
    public long PackageSize { get; }

    public Money PricePerPackage { get; }

    public override ChargeType Type => ChargeType.Package;

    internal override IEnumerable<Money> Prices => [PricePerPackage];

    internal static void Validate(List<FieldError> errors, string path, string? service, long? packageSize, decimal? pricePerPackage, Currency? currency)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        ChargeRules.CheckCount(errors, ChargeRules.At(path, "package_size"), packageSize, 1, BillableUsage.MaxQuantity);
        ChargeRules.CheckPrice(errors, ChargeRules.At(path, "price_per_package"), pricePerPackage, currency);
    }

    /// <summary>Started packages: ⌈units / size⌉.</summary>
    public long PackagesFor(long units) => (units / PackageSize) + (units % PackageSize == 0 ? 0 : 1);

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding)
    {
        var units = usage.Quantity(Metric);
        var label = string.Create(
            CultureInfo.InvariantCulture, $"{Service} ({units} {ApiNames<UsageMetric>.Of(Metric)}, {PackageSize} per package)");
        return [Line(label, PackagesFor(units), PricePerPackage, rounding)];
    }

    internal override ChargeDraft ToDraft() =>
        new(ApiNames<ChargeType>.Of(Type), Service, Metric: ApiNames<UsageMetric>.Of(Metric), PackageSize: PackageSize, PricePerPackage: PricePerPackage.Amount);
}
