using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Billing.Domain;

/// <summary>A customer as a client proposes it; absent currency, time zone and VAT rate take the defaults.</summary>
public sealed record CustomerDraft(string? Name, string? Email, string? Currency, string? TimeZone, decimal? VatRate);

/// <summary>
/// Who pays: the name and address invoices go to, the currency they are billed in, the IANA time
/// zone their calendar periods follow, and the VAT rate applied to their invoices.
/// </summary>
public sealed record CustomerProfile
{
    public const int MaxNameLength = 200;
    public const int MaxTimeZoneLength = 64;
    public const decimal DefaultVatRate = 0.21m;
    public const string DefaultTimeZoneId = "UTC";

    /// <summary>Rates are kept to basis points of one (0.2125 is 21.25 %), which is how storage holds them.</summary>
    public const int VatRateDecimalPlaces = 4;

    public CustomerProfile(string id, string name, string email, Currency currency, string timeZoneId, decimal vatRate)
    {
        Id = CatalogIds.Require(id, CatalogIds.Customer, nameof(id));
        var errors = new List<FieldError>();
        var zone = Validate(errors, name, email, timeZoneId, vatRate);
        FieldRules.ThrowIfAny("customer", errors);
        Name = name;
        Email = email;
        Currency = currency.Code is null ? throw new ArgumentException("The currency is default(Currency).", nameof(currency)) : currency;
        TimeZone = zone!;
        VatRate = vatRate;
    }

    public static Currency DefaultCurrency => Currency.EUR;

    public string Id { get; }

    public string Name { get; }

    public string Email { get; }

    public Currency Currency { get; }

    /// <summary>The zone from the TZDB shipped with NodaTime; its <c>Id</c> is what the client gave.</summary>
    public DateTimeZone TimeZone { get; }

    public string TimeZoneId => TimeZone.Id;

    /// <summary>0..1, at most <see cref="VatRateDecimalPlaces"/> decimal places.</summary>
    public decimal VatRate { get; }

    /// <summary>Checks a draft (name and e-mail trimmed) and either makes the profile or lists every problem.</summary>
    public static bool TryCreate(string id, CustomerDraft draft, [NotNullWhen(true)] out CustomerProfile? customer, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var found = new List<FieldError>();
        var name = draft.Name?.Trim();
        var email = draft.Email?.Trim();
        var timeZoneId = FieldRules.TrimToNull(draft.TimeZone) ?? DefaultTimeZoneId;
        var vatRate = draft.VatRate ?? DefaultVatRate;
        var currency = FieldRules.ParseCurrency(found, "currency", draft.Currency, DefaultCurrency);
        Validate(found, name, email, timeZoneId, vatRate);
        customer = found.Count == 0 ? new CustomerProfile(id, name!, email!, currency!.Value, timeZoneId, vatRate) : null;
        errors = found;
        return customer is not null;
    }

    private static DateTimeZone? Validate(List<FieldError> errors, string? name, string? email, string timeZoneId, decimal vatRate)
    {
        FieldRules.RequireName(errors, "name", name, MaxNameLength);
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(new FieldError("email", "email is required"));
        }
        else if (!EmailRules.IsValid(email))
        {
            errors.Add(new FieldError("email", $"email must be an address like billing@example.com, at most {EmailRules.MaxLength} characters"));
        }

        if (vatRate is < 0m or > 1m)
        {
            errors.Add(new FieldError("vat_rate", "vat_rate must be between 0 and 1 (0.21 is 21 %)"));
        }
        else if (decimal.Round(vatRate, VatRateDecimalPlaces) != vatRate)
        {
            errors.Add(new FieldError("vat_rate", $"vat_rate must have at most {VatRateDecimalPlaces} decimal places"));
        }

        var zone = timeZoneId.Length <= MaxTimeZoneLength ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) : null;
        if (zone is null)
        {
            errors.Add(new FieldError("time_zone", $"time_zone '{ShownText.Clip(timeZoneId, MaxTimeZoneLength)}' is not an IANA time zone such as Europe/Amsterdam"));
        }

        return zone;
    }
}
