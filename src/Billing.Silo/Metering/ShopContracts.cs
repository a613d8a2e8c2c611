using Billing.Domain;
using Billing.Runtime;
using Billing.Runtime.Core;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Metering;

/// <summary>What metering needs to know of a shop: who pays for it, and in which zone and currency its periods run.</summary>
public sealed record ShopProfile(string ShopId, string CustomerId, string TimeZone, Currency Currency);

public sealed record UsageCountsView(long Requests, long Tokens, decimal Cost, long Errors);

public sealed record DailyUsageView(DateOnly Date, long Requests, long Tokens, decimal Cost, long Errors);

public sealed record EndpointUsageView(string Endpoint, long Requests, long Tokens, decimal Cost, long Errors);

/// <summary>A shop's current period as <c>GET /api/v1/usage</c> shows it.</summary>
public sealed record ShopUsageView(
    string ShopId,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string TimeZone,
    string Currency,
    UsageCountsView Totals,
    IReadOnlyList<DailyUsageView> Days,
    IReadOnlyList<EndpointUsageView> Endpoints);

/// <summary>The grain per shop: accumulates its current billing period from the usage journal's events.</summary>
public interface IShopGrain : IGrainWithStringKey
{
    /// <summary>Durable usage events of this shop, told once each, in any order.</summary>
    Task RecordAsync(IReadOnlyList<UsageRecord> usage);

    Task<ShopUsageView> GetCurrentPeriodAsync();

    /// <summary>Opens the shop's first period if it has none and registers its closing reminder.</summary>
    Task EnsureBillingAsync();

    /// <summary>Closes (or, dry, prices) the periods that are over; idempotent.</summary>
    Task<ShopBillingResult> BillAsync(CloseRequest request);

    /// <summary>Changes plan, seats or cycle: an upgrade at once (prorated), a downgrade or a cycle change at the period end.</summary>
    Task<TermsChangeResult> ChangeTermsAsync(TermsChangeRequest request);
}

internal sealed class ShopGrainProxy(GrainReference grain) : IShopGrain
{
    public Task RecordAsync(IReadOnlyList<UsageRecord> usage) => grain.InvokeAsync((IShopGrain g) => g.RecordAsync(usage));

    public Task<ShopUsageView> GetCurrentPeriodAsync() => grain.InvokeAsync((IShopGrain g) => g.GetCurrentPeriodAsync());

    public Task EnsureBillingAsync() => grain.InvokeAsync((IShopGrain g) => g.EnsureBillingAsync());

    public Task<ShopBillingResult> BillAsync(CloseRequest request) => grain.InvokeAsync((IShopGrain g) => g.BillAsync(request));

    public Task<TermsChangeResult> ChangeTermsAsync(TermsChangeRequest request) => grain.InvokeAsync((IShopGrain g) => g.ChangeTermsAsync(request));
}
