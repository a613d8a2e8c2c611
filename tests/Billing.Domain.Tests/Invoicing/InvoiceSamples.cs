using NodaTime;

namespace Billing.Domain.Tests.Invoicing;

/// <summary>The Vigint example invoice (seed 004) and variations of it.</summary>
internal static class InvoiceSamples
{
    public const string InvoiceId = "inv_0123456789abcdefghij";
    public const string ShopId = "shop_0123456789abcdefghij";

    public static readonly InvoiceIssuer Issuer = new("Vigint SAS", ["12 Rue de la Paix", "75002 Paris", "France"], "FR12345678901");

    /// <summary>ISO week 1 of 2024, Monday 1 to Sunday 7 January.</summary>
    public static readonly BillingPeriod FirstWeekOf2024 = BillingPeriod.Parse("2024-W01", "Europe/Paris");

    public static InvoiceLine Line(string service, decimal quantity, decimal unitPrice, decimal amount, Currency? currency = null) =>
        new(service, quantity, new Money(unitPrice, currency ?? Currency.EUR), new Money(amount, currency ?? Currency.EUR));

    /// <summary>RTSP Streaming 1000 × 0.0010 = 1.00 and API Calls 5000 × 0.0005 = 2.50, VAT 21 %.</summary>
    public static PricedInvoice SeedPriced() =>
        new([Line("RTSP Streaming", 1000, 0.001m, 1.00m), Line("API Calls", 5000, 0.0005m, 2.50m)], Currency.EUR, 0.21m, RoundingPolicy.Default);

    /// <summary>The seed invoice with other lines, currency and VAT rate (half-even rounding).</summary>
    public static Invoice WithLines(Currency currency, decimal vatRate, params InvoiceLine[] lines) =>
        Seed(priced: new PricedInvoice(lines, currency, vatRate, RoundingPolicy.Default));

    public static Invoice Seed(
        string customerName = "Acme Corporation", PricedInvoice? priced = null, string number = "VIGINT-2024-0001", string shopName = "Main shop") =>
        new(
            InvoiceId,
            number,
            Issuer,
            new InvoiceCustomer(customerName, "billing@acme.com"),
            new InvoiceShop(ShopId, shopName),
            FirstWeekOf2024,
            new LocalDate(2024, 1, 8),
            PaymentTerms.Default,
            priced ?? SeedPriced());
}
