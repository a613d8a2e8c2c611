using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// What a shop pays per billing period: 1..<see cref="MaxCharges"/> charges, all in
/// <see cref="Currency"/>, each with its own service name. Every instance satisfies the rules of
/// <see cref="TryCreate"/>; the constructor throws <see cref="CatalogValidationException"/> otherwise.
/// </summary>
public sealed record PricePlan
{
    public const int MaxCharges = 20;
    public const int MaxNameLength = 100;

    /// <summary>The largest price, fee or unit price; the same bound as <see cref="Plan.MaxPrice"/>.</summary>
    public const decimal MaxAmount = Plan.MaxPrice;

    public PricePlan(string id, string name, Currency currency, IReadOnlyList<Charge> charges)
    {
        Id = CatalogIds.Require(id, CatalogIds.PricePlan, nameof(id));
        ArgumentNullException.ThrowIfNull(charges);
        currency.EnsureKnown(nameof(currency));
        var errors = new List<FieldError>();
        FieldRules.RequireName(errors, "name", name, MaxNameLength);
        if (CheckChargeCount(errors, charges.Count))
        {
            for (var index = 0; index < charges.Count; index++)
            {
                CheckCharge(errors, ChargeField(index), charges[index], currency);
            }

            ChargeRules.CheckDistinctServices(errors, [.. charges.Select(charge => charge?.Service)], ChargeField);
        }

        FieldRules.ThrowIfAny("price plan", errors);
        Name = name;
        Currency = currency;
        Charges = Array.AsReadOnly(charges.ToArray());
    }

    /// <summary>A <see cref="CatalogIds.PricePlan"/> id, e.g. <c>price_4fT9kQ2mZx81LbVw0pRa</c>.</summary>
    public string Id { get; }

    public string Name { get; }

    public Currency Currency { get; }

    public IReadOnlyList<Charge> Charges { get; }

    /// <summary>
    /// Checks a draft (name, services and endpoint prefixes trimmed) and either makes the plan or
    /// lists every problem with its field path and a message fit for the client.
    /// </summary>
    public static bool TryCreate(string id, PricePlanDraft draft, [NotNullWhen(true)] out PricePlan? plan, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var found = new List<FieldError>();
        var name = draft.Name?.Trim();
        FieldRules.RequireName(found, "name", name, MaxNameLength);
        var currency = FieldRules.ParseCurrency(found, "currency", draft.Currency, fallback: null);
        var charges = new List<Charge>();
        if (draft.Charges is null)
        {
            found.Add(new FieldError("charges", "charges is required"));
        }
        else if (CheckChargeCount(found, draft.Charges.Count))
        {
            charges.AddRange(draft.Charges.Select((charge, index) => ChargeDraftReader.Read(found, ChargeField(index), charge, currency)).OfType<Charge>());
            ChargeRules.CheckDistinctServices(found, [.. draft.Charges.Select(charge => charge?.Service?.Trim())], ChargeField);
        }

        plan = found.Count == 0 ? new PricePlan(id, name!, currency!.Value, charges) : null;
        errors = found;
        return plan is not null;
    }

    /// <summary>The draft this plan would be made from: for storage as JSON and for answering GET.</summary>
    public PricePlanDraft ToDraft() => new(Name, Currency.Code, [.. Charges.Select(charge => charge.ToDraft())]);

    /// <summary>What the plan costs per period before any usage: flat fees plus per-seat prices × <paramref name="seats"/>.</summary>
    public Money FixedPricePerPeriod(int seats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seats, BillableUsage.MaxSeats);
        return Money.Sum(Charges.Select(charge => charge.FixedPricePerPeriod(seats, Currency)), Currency);
    }

    public bool Equals(PricePlan? other) =>
        other is not null && Id == other.Id && Name == other.Name && Currency == other.Currency && Charges.SequenceEqual(other.Charges);

    public override int GetHashCode() => HashCode.Combine(Id, Name, Currency, Charges.Count);

    private static string ChargeField(int index) => string.Create(CultureInfo.InvariantCulture, $"charges[{index}]");

    private static bool CheckChargeCount(List<FieldError> errors, int count)
    {
        if (count is >= 1 and <= MaxCharges)
        {
            return true;
        }

        errors.Add(new FieldError("charges", $"charges must have between 1 and {MaxCharges} charges (got {count})"));
        return false;
    }

    private static void CheckCharge(List<FieldError> errors, string field, Charge? charge, Currency currency)
    {
        if (charge is null)
        {
            errors.Add(new FieldError(field, $"{field} is required"));
        }
        else if (charge.Prices.Any(price => price.Currency != currency))
        {
            errors.Add(new FieldError(field, $"{field} must be priced in the plan's currency {currency}"));
        }
    }
}
