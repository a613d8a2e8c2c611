namespace Billing.Domain;

/// <summary>
/// One metered storefront of a customer: the unit that API keys belong to and that billing periods
/// accumulate for. A customer may have several shops; each is billed to the customer.
/// </summary>
public sealed record Shop
{
    public Shop(string id, string customerId, string name)
    {
        Id = CatalogIds.Require(id, CatalogIds.Shop, nameof(id));
        CustomerId = CatalogIds.Require(customerId, CatalogIds.Customer, nameof(customerId));
        FieldRules.ThrowIfAny("shop", ValidateName(name).ToList());
        Name = name;
    }

    public string Id { get; }

    public string CustomerId { get; }

    public string Name { get; }

    /// <summary>The rule for the names of shops and of API keys: 1..<see cref="CatalogNames.MaxLength"/> characters, one line.</summary>
    public static IReadOnlyList<FieldError> ValidateName(string? name) => CatalogNames.Validate("name", name);
}

/// <summary>Short labels a person gives to shops and API keys.</summary>
public static class CatalogNames
{
    public const int MaxLength = 100;

    public static IReadOnlyList<FieldError> Validate(string field, string? name)
    {
        var errors = new List<FieldError>();
        FieldRules.RequireName(errors, field, name, MaxLength);
        return errors;
    }
}
