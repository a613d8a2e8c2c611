using NodaTime;

namespace Billing.Domain;

/// <summary>Turns a <see cref="ChargeDraft"/> into a <see cref="Charge"/>, or into field errors under its path.</summary>
internal static class ChargeDraftReader
{
    private static readonly Dictionary<ChargeType, string[]> FieldsByType = new()
    {
        [ChargeType.Flat] = ["amount"],
        [ChargeType.PerUnit] = ["metric", "endpoint_prefix", "unit_price"],
        [ChargeType.PerSeat] = ["price_per_seat"],
        [ChargeType.Tiered] = ["metric", "mode", "tiers"],
        [ChargeType.Package] = ["metric", "package_size", "price_per_package"],
        [ChargeType.RevenueShare] = ["percentage", "fraud_rules"],
    };

    /// <summary>Null (with errors) when the draft breaks a rule; also null when <paramref name="currency"/> is unknown.</summary>
    public static Charge? Read(List<FieldError> errors, string path, ChargeDraft? draft, Currency? currency)
    {
        if (draft is null)
        {
            errors.Add(new FieldError(path, $"{path} is required"));
            return null;
        }

        if (ChargeRules.ParseName<ChargeType>(errors, ChargeRules.At(path, "type"), draft.Type) is not { } type)
        {
            return null;
        }

        var reading = new Reading(errors, path, draft with { Service = draft.Service?.Trim(), EndpointPrefix = FieldRules.TrimToNull(draft.EndpointPrefix) }, currency);
        foreach (var field in draft.FieldsSet().Except(FieldsByType[type]))
        {
            reading.Error(field, $"{ChargeRules.At(path, field)} does not apply to a {ApiNames<ChargeType>.Of(type)} charge");
        }

        return type switch
        {
            ChargeType.Flat => ReadFlat(reading),
            ChargeType.PerUnit => ReadPerUnit(reading),
            ChargeType.PerSeat => ReadPerSeat(reading),
            ChargeType.Tiered => ReadTiered(reading),
            ChargeType.Package => ReadPackage(reading),
            ChargeType.RevenueShare => ReadRevenueShare(reading),
            _ => throw new InvariantViolationException($"Unhandled charge type {type}."),
        };
    }

    private static FlatFeeCharge? ReadFlat(Reading r)
    {
        FlatFeeCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.Amount, r.Currency);
        return r.IsValid ? new FlatFeeCharge(r.Draft.Service!, r.Money(r.Draft.Amount)) : null;
    }

    private static PerUnitCharge? ReadPerUnit(Reading r)
    {
        var metric = ChargeRules.ParseName<UsageMetric>(r.Errors, r.At("metric"), r.Draft.Metric);
        PerUnitCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.EndpointPrefix, r.Draft.UnitPrice);
        return r.IsValid ? new PerUnitCharge(r.Draft.Service!, metric!.Value, r.Draft.EndpointPrefix, r.Money(r.Draft.UnitPrice)) : null;
    }

    private static PerSeatCharge? ReadPerSeat(Reading r)
    {
        PerSeatCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.PricePerSeat, r.Currency);
        return r.IsValid ? new PerSeatCharge(r.Draft.Service!, r.Money(r.Draft.PricePerSeat)) : null;
    }

    private static TieredCharge? ReadTiered(Reading r)
    {
        var metric = ChargeRules.ParseName<UsageMetric>(r.Errors, r.At("metric"), r.Draft.Metric);
        var mode = ChargeRules.ParseName<TierMode>(r.Errors, r.At("mode"), r.Draft.Mode);
        TieredCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.Tiers, r.Currency);
        return r.IsValid
            ? new TieredCharge(r.Draft.Service!, metric!.Value, mode!.Value, [.. r.Draft.Tiers!.Select(t => new PriceTier(t!.UpTo, r.Money(t.UnitPrice), t.FlatFee is null ? null : r.Money(t.FlatFee)))])
            : null;
    }

    private static PackageCharge? ReadPackage(Reading r)
    {
        var metric = ChargeRules.ParseName<UsageMetric>(r.Errors, r.At("metric"), r.Draft.Metric);
        PackageCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.PackageSize, r.Draft.PricePerPackage, r.Currency);
        return r.IsValid ? new PackageCharge(r.Draft.Service!, metric!.Value, r.Draft.PackageSize!.Value, r.Money(r.Draft.PricePerPackage)) : null;
    }

    private static RevenueShareCharge? ReadRevenueShare(Reading r)
    {
        RevenueShareCharge.Validate(r.Errors, r.Path, r.Draft.Service, r.Draft.Percentage);
        var rules = r.Draft.FraudRules ?? new FraudRulesDraft();
        var maxEvents = rules.MaxEventsPerFingerprint ?? FraudRules.DefaultMaxEventsPerFingerprint;
        var windowMinutes = rules.FingerprintWindowMinutes ?? FraudRules.DefaultFingerprintWindowMinutes;
        FraudRules.Validate(r.Errors, r.At("fraud_rules"), rules.MaxEventAmount, maxEvents, windowMinutes, r.Currency);
        return r.IsValid
            ? new RevenueShareCharge(
                r.Draft.Service!,
                r.Draft.Percentage!.Value,
                new FraudRules(rules.MaxEventAmount is null ? null : r.Money(rules.MaxEventAmount), maxEvents, Duration.FromMinutes(windowMinutes)))
            : null;
    }

    /// <summary>One draft being read: where its errors go, and whether any were added since it started.</summary>
    private sealed class Reading(List<FieldError> errors, string path, ChargeDraft draft, Currency? currency)
    {
        private readonly int errorsBefore = errors.Count;

        public List<FieldError> Errors { get; } = errors;

        public string Path { get; } = path;

        public ChargeDraft Draft { get; } = draft;

        public Currency? Currency { get; } = currency;

        public bool IsValid => Errors.Count == errorsBefore && Currency is not null;

        public string At(string field) => ChargeRules.At(Path, field);

        public void Error(string field, string message) => Errors.Add(new FieldError(At(field), message));

        public Money Money(decimal? amount) => new(amount!.Value, Currency!.Value);
    }
}
