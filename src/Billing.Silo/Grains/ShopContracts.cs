using Billing.Silo.Metering;
using Billing.Domain;
using Orleans.Concurrency;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Grains;

/// <summary>What metering needs to know of a shop: who pays for it, and in which zone and currency its periods run.</summary>
public sealed record ShopProfile(string ShopId, string CustomerId, string TimeZone, Currency Currency);

[GenerateSerializer, Immutable, Alias("billing.UsageCountsView")]
public sealed record UsageCountsView([property: Id(0)] long Requests, [property: Id(1)] long Tokens, [property: Id(2)] decimal Cost, [property: Id(3)] long Errors);

[GenerateSerializer, Immutable, Alias("billing.DailyUsageView")]
public sealed record DailyUsageView(
    [property: Id(0)] DateOnly Date, [property: Id(1)] long Requests, [property: Id(2)] long Tokens, [property: Id(3)] decimal Cost, [property: Id(4)] long Errors);

[GenerateSerializer, Immutable, Alias("billing.EndpointUsageView")]
public sealed record EndpointUsageView(
    [property: Id(0)] string Endpoint, [property: Id(1)] long Requests, [property: Id(2)] long Tokens, [property: Id(3)] decimal Cost, [property: Id(4)] long Errors);

/// <summary>A shop's current period as <c>GET /api/v1/usage</c> shows it; <see cref="PeriodEnd"/> is its last local day (inclusive).</summary>
[GenerateSerializer, Immutable, Alias("billing.ShopUsageView")]
public sealed record ShopUsageView(
    [property: Id(0)] string ShopId,
    [property: Id(1)] DateOnly PeriodStart,
    [property: Id(2)] DateOnly PeriodEnd,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] string Currency,
    [property: Id(5)] UsageCountsView Totals,
    [property: Id(6)] IReadOnlyList<DailyUsageView> Days,
    [property: Id(7)] IReadOnlyList<EndpointUsageView> Endpoints);

/// <summary>The grain per shop: accumulates its current billing period from the usage journal's events.</summary>
[Alias("billing.IShopGrain")]
public interface IShopGrain : IGrainWithStringKey
{
    /// <summary>Durable usage events of this shop, told once each, in any order.</summary>
    [Alias("record")]
    Task RecordAsync([Immutable] IReadOnlyList<UsageRecord> usage);

    [Alias("current-period")]
    Task<ShopUsageView> GetCurrentPeriodAsync();

    /// <summary>Opens the shop's first period if it has none and registers its closing reminder.</summary>
    [Alias("ensure-billing")]
    Task EnsureBillingAsync();

    /// <summary>
    /// What a <c>close-period</c> tick asks for, through the silo's <see cref="ReminderCloseQueue"/>:
    /// closes every due period; a failure is counted and retried with back-off.
    /// </summary>
    [Alias("close-due-from-reminder")]
    Task CloseDueFromReminderAsync();

    /// <summary>Closes (or, dry, prices) the periods that are over; idempotent.</summary>
    [Alias("bill")]
    Task<ShopBillingResult> BillAsync([Immutable] CloseRequest request);

    /// <summary>A test clock's advance reached <paramref name="atMs"/> (Unix ms): closes what is due by then.</summary>
    [Alias("close-on-clock")]
    Task<ShopBillingResult> CloseOnClockAsync(string clockId, long atMs);

    /// <summary>Changes plan, seats or cycle: an upgrade at once (prorated), a downgrade or a cycle change at the period end.</summary>
    [Alias("change-terms")]
    Task<TermsChangeResult> ChangeTermsAsync([Immutable] TermsChangeRequest request);

    /// <summary>The close bookkeeping: reminder closes failed in a row, the last failure, the last close.</summary>
    [Alias("close-state")]
    Task<ShopCloseState> GetCloseStateAsync();
}
