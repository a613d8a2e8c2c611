using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain;

/// <summary>A plan as a client proposes it: every field may be missing or wrong; <see cref="Plan.TryCreate"/> says which.</summary>
public sealed record PlanDraft(
    string? Name, decimal? Price, string? Currency, long? TokensIncluded, int? DurationDays, bool? IsRecurring, string? Description);

/// <summary>
/// A token bundle for sale: <see cref="TokensIncluded"/> tokens for <see cref="Price"/>, valid for
/// <see cref="DurationDays"/> days (or until used up when null), renewed each period when
/// <see cref="IsRecurring"/>. Every instance satisfies the rules of <see cref="TryCreate"/>.
/// </summary>
public sealed record Plan
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxDurationDays = 3650;

    /// <summary>Bounds that keep every price a 64-bit count of minor units and every grant far from overflow.</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    public const long MaxTokensIncluded = 1_000_000_000_000;

    public Plan(string id, string name, Money price, TokenAmount tokensIncluded, int? durationDays, bool isRecurring, string? description)
    {
        Id = CatalogIds.Require(id, CatalogIds.Plan, nameof(id));
        var errors = new List<FieldError>();
        Validate(errors, name, price.Amount, price.Currency, tokensIncluded.Value, durationDays, isRecurring, description);
        FieldRules.ThrowIfAny("plan", errors);
        Name = name;
        Price = Money.FromMinorUnits(price.ToMinorUnits(), price.Currency); // the currency's scale: EUR 15 reads "15.00"
        TokensIncluded = tokensIncluded;
        DurationDays = durationDays;
        IsRecurring = isRecurring;
        Description = description;
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>Never negative, always rounded to the currency's minor unit.</summary>
    public Money Price { get; }

    /// <summary>Always greater than zero.</summary>
    public TokenAmount TokensIncluded { get; }

    public int? DurationDays { get; }

    public bool IsRecurring { get; }

    public string? Description { get; }

    /// <summary>
    /// Checks a draft (name trimmed, blank description dropped, is_recurring false when absent) and
    /// either makes the plan or lists every problem, each with a message fit for the client.
    /// </summary>
    public static bool TryCreate(string id, PlanDraft draft, [NotNullWhen(true)] out Plan? plan, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var found = new List<FieldError>();
        var name = draft.Name?.Trim();
        var description = FieldRules.TrimToNull(draft.Description);
        var isRecurring = draft.IsRecurring ?? false;
        var currency = FieldRules.ParseCurrency(found, "currency", draft.Currency, fallback: null);
        Validate(found, name, draft.Price, currency, draft.TokensIncluded, draft.DurationDays, isRecurring, description);
        plan = found.Count == 0
            ? new Plan(id, name!, new Money(draft.Price!.Value, currency!.Value), new TokenAmount(draft.TokensIncluded!.Value), draft.DurationDays, isRecurring, description)
            : null;
        errors = found;
        return plan is not null;
    }

    private static void Validate(
        List<FieldError> errors, string? name, decimal? price, Currency? currency, long? tokensIncluded, int? durationDays, bool isRecurring, string? description)
    {
        FieldRules.RequireName(errors, "name", name, MaxNameLength);
        ChargeRules.CheckPrice(errors, "price", price, currency);
        if (tokensIncluded is null)
        {
            errors.Add(new FieldError("tokens_included", "tokens_included is required"));
        }
        else if (tokensIncluded is < 1 or > MaxTokensIncluded)
        {
            errors.Add(new FieldError("tokens_included", $"tokens_included must be between 1 and {MaxTokensIncluded}"));
        }

        if (durationDays is < 1 or > MaxDurationDays)
        {
            errors.Add(new FieldError("duration_days", $"duration_days must be between 1 and {MaxDurationDays}"));
        }
        else if (durationDays is null && isRecurring)
        {
            errors.Add(new FieldError("duration_days", "duration_days is required when is_recurring is true: it is the renewal period"));
        }

        FieldRules.CheckOptionalText(errors, "description", description, MaxDescriptionLength);
    }
}
