using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// The window a client's <c>occurred_at</c> must fall in: at most <c>Billing:Invoicing:MaxBackdateDays</c>
/// back (the close only looks that far for late usage), a few minutes ahead (clock skew), and not before
/// the shop's first billing period. One singleton, so the hot path resolves one service, not the clock and the options apart.
/// </summary>
public sealed class BackdateWindow(TimeProvider time, IOptions<BillingOptions> options, ShopTermsReader terms)
{
    private readonly int maxBackdateDays = options.Value.MaxBackdateDays;

    public FieldError? Check(ConsumeRequest request) =>
        request.OccurredAt is null ? null : request.ValidateOccurredAt(time.GetUtcNow(), maxBackdateDays);

    /// <summary>
    /// The first instant the shop's usage may be dated: the start of the period holding its creation (its first).
    /// Usage before it belongs to no period of the shop: no close would bill it and no rebuild of <c>/usage</c>
    /// would read it, while the subscription would keep the tokens. Null when no request is back-dated (no read then).
    /// </summary>
    public async Task<DateTimeOffset?> FirstPeriodStartAsync(string shopId, IEnumerable<ConsumeRequest?> requests, CancellationToken cancellationToken)
    {
        if (!requests.Any(r => r?.OccurredAt is not null))
        {
            return null;
        }

        var shop = await terms.GetAsync(shopId, cancellationToken)
            ?? throw new InvariantViolationException($"The shop {shopId} of a live API key is gone.");
        var first = shop.Open is { } open && open.Period.StartInstant <= shop.ShopCreatedAt
            ? open.Period
            : BillingPeriod.Containing(shop.ShopCreatedAt, BillingCycles.Parse(shop.Cycle), shop.Customer.TimeZoneId);
        return first.StartInstant.ToDateTimeOffset();
    }

    /// <summary>The problem with <paramref name="request"/>'s <c>occurred_at</c> when it lies before <paramref name="firstPeriodStart"/>.</summary>
    public static FieldError? CheckNotBeforeShop(ConsumeRequest request, DateTimeOffset? firstPeriodStart) =>
        request.OccurredAt is { } at && firstPeriodStart is { } first && at < first
            ? new FieldError("occurred_at", $"occurred_at must not be before {first.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}, the start of the shop's first billing period")
            : null;
}
