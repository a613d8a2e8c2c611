using Billing.Domain.Payments;

namespace Billing.Domain;

/// <summary>
/// Who issues invoices: the company name, postal address lines and VAT identification number
/// printed at the top of every invoice, and the bank account that takes transfers (seed 004). Comes from configuration; a bad value throws
/// <see cref="CatalogValidationException"/> listing every field error at start-up.
/// </summary>
public sealed record InvoiceIssuer
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLines = 6;
    public const int MaxAddressLineLength = 200;
    public const int MaxVatIdLength = 32;

    public InvoiceIssuer(string name, IReadOnlyList<string> addressLines, string? vatId, Iban? iban = null, Bic? bic = null)
    {
        ArgumentNullException.ThrowIfNull(addressLines);
        var errors = new List<FieldError>();
        FieldRules.RequireName(errors, "issuer_name", name, MaxNameLength);
        if (addressLines.Count > MaxAddressLines)
        {
            errors.Add(new FieldError("issuer_address", $"issuer_address must have at most {MaxAddressLines} lines"));
        }

        foreach (var line in addressLines)
        {
            FieldRules.RequireName(errors, "issuer_address", line, MaxAddressLineLength);
        }

        if (vatId is not null)
        {
            FieldRules.RequireName(errors, "issuer_vat_id", vatId, MaxVatIdLength);
        }

        if (bic is not null && iban is null)
        {
            errors.Add(new FieldError("issuer_bic", "issuer_bic needs issuer_iban: a BIC alone names no account"));
        }

        FieldRules.ThrowIfAny("invoice issuer", errors);
        Name = name;
        Iban = iban;
        Bic = bic;
        AddressLines = [.. addressLines];
        VatId = vatId;
    }

    public string Name { get; }

    /// <summary>A copy taken at construction, so the issuer cannot change under an invoice.</summary>
    public IReadOnlyList<string> AddressLines { get; }

    public string? VatId { get; }

    /// <summary>The account customers pay by bank transfer; null: the invoice shows no transfer details.</summary>
    public Iban? Iban { get; }

    public Bic? Bic { get; }

    /// <summary>Equal when every field is, address lines compared line by line (not by list identity).</summary>
    public bool Equals(InvoiceIssuer? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(VatId, other.VatId, StringComparison.Ordinal)
        && Iban == other.Iban && Bic == other.Bic
        && AddressLines.SequenceEqual(other.AddressLines, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Name, VatId, AddressLines.Count);
}

/// <summary>The customer as the invoice names them, copied when it is issued so later renames do not alter it.</summary>
public sealed record InvoiceCustomer
{
    public InvoiceCustomer(string name, string email)
    {
        var errors = new List<FieldError>();
        FieldRules.RequireName(errors, "customer_name", name, CustomerProfile.MaxNameLength);
        FieldRules.RequireName(errors, "customer_email", email, EmailRules.MaxLength);
        FieldRules.ThrowIfAny("invoice customer", errors);
        Name = name;
        Email = email;
    }

    public string Name { get; }

    public string Email { get; }

    public static InvoiceCustomer From(CustomerProfile customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new InvoiceCustomer(customer.Name, customer.Email);
    }
}

/// <summary>The shop whose usage the invoice bills, copied when it is issued.</summary>
public sealed record InvoiceShop
{
    public InvoiceShop(string id, string name)
    {
        Id = CatalogIds.Require(id, CatalogIds.Shop, nameof(id));
        FieldRules.ThrowIfAny("invoice shop", [.. Shop.ValidateName(name)]);
        Name = name;
    }

    public string Id { get; }

    public string Name { get; }

    public static InvoiceShop From(Shop shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return new InvoiceShop(shop.Id, shop.Name);
    }
}
