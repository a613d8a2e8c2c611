namespace Billing.Domain;

/// <summary>
/// One line of an invoice: what was charged (a service name such as "API Calls"), how many units,
/// at what unit price, and the line's amount. The unit price may carry more digits than the
/// currency's minor unit (€0.0005 per call); the amount is always rounded to the minor unit,
/// because the rounding policy applies per line. A credit (proration, adjustment) is negative.
/// </summary>
public sealed record InvoiceLine
{
    public const int MaxServiceLength = 200;

    public InvoiceLine(string service, decimal quantity, Money unitPrice, Money amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(service.Length, MaxServiceLength, nameof(service));
        if (unitPrice.Currency != amount.Currency)
        {
            throw new CurrencyMismatchException(unitPrice.Currency, amount.Currency, $"price line '{service}' with");
        }

        if (!amount.IsRounded)
        {
            throw new InvariantViolationException($"Line '{service}' amount {amount} is not rounded to the minor unit.");
        }

        Service = service;
        Quantity = quantity;
        UnitPrice = unitPrice;
        Amount = amount;
    }

    public string Service { get; }

    public decimal Quantity { get; }

    public Money UnitPrice { get; }

    public Money Amount { get; }

    public Currency Currency => Amount.Currency;
}

/// <summary>
/// A priced period, before it has a number: the lines, their subtotal, the VAT on the subtotal
/// (the customer's rate, rounded once), and the total. subtotal = Σ lines; total = subtotal + VAT.
/// </summary>
public sealed record PricedInvoice
{
    public PricedInvoice(IReadOnlyList<InvoiceLine> lines, Currency currency, decimal vatRate, RoundingPolicy rounding)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (vatRate is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(vatRate), vatRate, "A VAT rate is between 0 and 1.");
        }

        var subtotal = Money.Zero(currency);
        foreach (var line in lines)
        {
            subtotal += line.Amount;
        }

        Lines = lines;
        Currency = currency;
        VatRate = vatRate;
        Rounding = rounding;
        Subtotal = subtotal;
        Vat = new Money(subtotal.Amount * vatRate, currency).RoundTo(rounding);
        Total = Subtotal + Vat;
    }

    public IReadOnlyList<InvoiceLine> Lines { get; }

    public Currency Currency { get; }

    public decimal VatRate { get; }

    public RoundingPolicy Rounding { get; }

    public Money Subtotal { get; }

    public Money Vat { get; }

    public Money Total { get; }
}
