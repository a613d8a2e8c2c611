using Billing.Domain;

namespace Billing.Silo.Invoicing;

/// <summary>
/// What a refund reported for an already invoiced sale gives back: the share the sale earned, as a
/// negative line waiting for the shop's next invoice. The share is priced as late revenue is, by the
/// revenue-share charges of the plan in effect now, with the sale screened by their fraud rules as
/// it stood before the refund (a test order, or one above the cap, earned nothing and gets nothing
/// back). A plan without a revenue share gives no line.
/// </summary>
public sealed class RefundCredits(PricePlan plan, RoundingPolicy rounding)
{
    public const string RefundPrefix = "Refunded order";

    /// <summary>The shop's plan in effect now (null: the default plan, which shares no revenue).</summary>
    public static async Task<RefundCredits> ForShopAsync(ShopTermsReader terms, BillingOptions settings, string shopId, CancellationToken cancellationToken)
    {
        var shop = await terms.GetAsync(shopId, cancellationToken) ?? throw new InvariantViolationException($"Shop {shopId} of a live API key is gone.");
        var plan = shop.Plan is { } stored ? PricePlanStore.ToDomain(stored) : PeriodPricer.DefaultPlan(shop.Customer.Currency, settings.DefaultPricePerRequest);
        return new RefundCredits(plan, settings.RoundingPolicy);
    }

    /// <summary>The credit lines (amounts negative) for refunding <paramref name="sale"/>, as stored before the refund; none when it earned nothing.</summary>
    public IReadOnlyList<InvoiceLine> LinesFor(RevenueEvent sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        var asBilled = new RevenueEvent(sale.OrderId, sale.Amount, sale.At, sale.CustomerFingerprint, sale.Flags & ~RevenueEventFlags.Refunded);
        var earned = SelectedCharges.PriceLines(plan, new BillableUsage(0, 0, 0, [], 0, [asBilled]), rounding, c => c.Type == ChargeType.RevenueShare);
        return [.. earned.Where(line => !line.Amount.IsZero).Select(line => new InvoiceLine(
            PeriodPricer.Shorten($"{RefundPrefix} {sale.OrderId}: {line.Service}"), -line.Quantity, line.UnitPrice, -line.Amount))];
    }
}
