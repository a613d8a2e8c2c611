using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// One tier: the units up to and including <paramref name="UpTo"/> (null only for the last, open
/// tier) at <paramref name="UnitPrice"/>, plus an optional <paramref name="FlatFee"/> charged once
/// when any unit falls in the tier. Checked by <see cref="TieredCharge"/>.
/// </summary>
public sealed record PriceTier(long? UpTo, Money UnitPrice, Money? FlatFee = null);

/// <summary>
/// Tiered usage pricing. Lines, zero quantity included:
/// <list type="bullet">
/// <item>Graduated: one line per tier the units reach ("API Calls, tier 2: 1001 to 10000"), each
/// rounded on its own, as per-line rounding says; a period without units shows tier 1 with 0.</item>
/// <item>Volume: one line holding all units at the price of the tier the total falls in.</item>
/// </list>
/// A tier's flat fee is its own line ("…, tier 2 flat fee", quantity 1), only when at least one unit
/// falls in that tier (volume: the tier of the total, with a total above zero).
/// </summary>
public sealed record TieredCharge : Charge
{
    public const int MaxTiers = 20;

    public TieredCharge(string service, UsageMetric metric, TierMode mode, IReadOnlyList<PriceTier> tiers)
        : base(service)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var errors = new List<FieldError>();
        ChargeRules.CheckDefined(errors, "metric", metric);
        ChargeRules.CheckDefined(errors, "mode", mode);
        var asDrafts = tiers.Select(tier => tier is null ? null : new TierDraft(tier.UpTo, tier.UnitPrice.Amount, tier.FlatFee?.Amount)).ToArray();
        Validate(errors, path: "", service, asDrafts, tiers.FirstOrDefault()?.UnitPrice.Currency);
        FieldRules.ThrowIfAny("tiered charge", errors);
        Metric = metric;
        Mode = mode;
        Tiers = Array.AsReadOnly(tiers.Select(tier => tier with { FlatFee = tier.FlatFee is { } fee ? AtCurrencyScale(fee) : null }).ToArray());
    }

    public UsageMetric Metric { get; }

    public TierMode Mode { get; }

    /// <summary>1..<see cref="MaxTiers"/> tiers, UpTo strictly increasing, only the last open (null).</summary>
    public IReadOnlyList<PriceTier> Tiers { get; }

    public override ChargeType Type => ChargeType.Tiered;

    internal override IEnumerable<Money> Prices =>
        Tiers.SelectMany(tier => tier.FlatFee is { } fee ? new[] { tier.UnitPrice, fee } : [tier.UnitPrice]);

    public bool Equals(TieredCharge? other) =>
        other is not null && base.Equals(other) && Metric == other.Metric && Mode == other.Mode && Tiers.SequenceEqual(other.Tiers);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Metric, Mode, Tiers.Count);

    internal static void Validate(List<FieldError> errors, string path, string? service, IReadOnlyList<TierDraft?>? tiers, Currency? currency)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        var field = ChargeRules.At(path, "tiers");
        if (tiers is null || tiers.Count is 0 or > MaxTiers)
        {
            errors.Add(new FieldError(field, $"{field} must have between 1 and {MaxTiers} tiers (got {tiers?.Count ?? 0})"));
            return;
        }

        long? previousUpTo = null;
        for (var index = 0; index < tiers.Count; index++)
        {
            var tierPath = string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");
            if (tiers[index] is not { } tier)
            {
                errors.Add(new FieldError(tierPath, $"{tierPath} is required"));
                continue;
            }

            CheckUpTo(errors, ChargeRules.At(tierPath, "up_to"), tier.UpTo, isLast: index == tiers.Count - 1, previousUpTo);
            ChargeRules.CheckUnitPrice(errors, ChargeRules.At(tierPath, "unit_price"), tier.UnitPrice);
            if (tier.FlatFee is not null)
            {
                ChargeRules.CheckPrice(errors, ChargeRules.At(tierPath, "flat_fee"), tier.FlatFee, currency);
            }

            previousUpTo = tier.UpTo ?? previousUpTo;
        }
    }

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding)
    {
        var units = usage.Quantity(Metric);
        return Mode == TierMode.Graduated ? GraduatedLines(units, rounding) : VolumeLines(units, rounding);
    }

    internal override ChargeDraft ToDraft() =>
        new(ApiNames<ChargeType>.Of(Type), Service, Metric: ApiNames<UsageMetric>.Of(Metric), Mode: ApiNames<TierMode>.Of(Mode),
            Tiers: [.. Tiers.Select(tier => new TierDraft(tier.UpTo, tier.UnitPrice.Amount, tier.FlatFee?.Amount))]);

    private static void CheckUpTo(List<FieldError> errors, string field, long? upTo, bool isLast, long? previousUpTo)
    {
        if (isLast)
        {
            if (upTo is not null)
            {
                errors.Add(new FieldError(field, $"{field} must be empty: the last tier holds every unit above the tier before it"));
            }
        }
        else if (upTo is null)
        {
            errors.Add(new FieldError(field, $"{field} is required: only the last tier is open-ended"));
        }
        else if (ChargeRules.CheckCount(errors, field, upTo, 1, BillableUsage.MaxQuantity) && upTo <= previousUpTo)
        {
            errors.Add(new FieldError(field, $"{field} must be greater than the previous tier's up_to ({previousUpTo})"));
        }
    }

    private List<InvoiceLine> GraduatedLines(long units, RoundingPolicy rounding)
    {
        var lines = new List<InvoiceLine>();
        long below = 0;
        for (var index = 0; index < Tiers.Count && (units > below || index == 0); index++)
        {
            var tier = Tiers[index];
            var inTier = Math.Min(units, tier.UpTo ?? long.MaxValue) - below;
            lines.Add(Line($"{Service}, {TierLabel(index)}", inTier, tier.UnitPrice, rounding));
            AddFlatFee(lines, index, inTier, rounding);
            below = tier.UpTo ?? below;
        }

        return lines;
    }

    private List<InvoiceLine> VolumeLines(long units, RoundingPolicy rounding)
    {
        var index = TierIndexHolding(units);
        var lines = new List<InvoiceLine> { Line($"{Service}, all units at {TierLabel(index)}", units, Tiers[index].UnitPrice, rounding) };
        AddFlatFee(lines, index, units, rounding);
        return lines;
    }

    private int TierIndexHolding(long units)
    {
        var index = 0;
        while (Tiers[index].UpTo is { } upTo && units > upTo)
        {
            index++;
        }

        return index;
    }

    private void AddFlatFee(List<InvoiceLine> lines, int index, long unitsInTier, RoundingPolicy rounding)
    {
        if (unitsInTier > 0 && Tiers[index].FlatFee is { } fee)
        {
            lines.Add(Line($"{Service}, tier {index + 1} flat fee", 1m, fee, rounding));
        }
    }

    private string TierLabel(int index)
    {
        var from = index == 0 ? 1 : Tiers[index - 1].UpTo!.Value + 1;
        return Tiers[index].UpTo is { } upTo
            ? string.Create(CultureInfo.InvariantCulture, $"tier {index + 1}: {from} to {upTo}")
            : string.Create(CultureInfo.InvariantCulture, $"tier {index + 1}: from {from}");
    }
}
