using Billing.Contracts.Catalog;
using Billing.Contracts.Metering;
using Billing.Contracts.Payments;
using Billing.Domain;
using Billing.Silo.Analytics;
using Billing.Silo.Api;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Api.Metering;
using Billing.Silo.Api.Payments;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments;
using NodaTime;

namespace Billing.Silo.OperatorConsole;

public sealed record CustomerListModel(string? Search, IReadOnlyList<CustomerResponse> Customers, string? NextAfter, string? Problem);

public sealed record CustomerShopModel(ShopResponse Shop, IReadOnlyList<PeriodResponse> Periods);

public sealed record CustomerModel(
    CustomerResponse Customer, SubscriptionResponse Subscription, IReadOnlyList<CustomerShopModel> Shops, bool MoreShops,
    IReadOnlyList<InvoiceResponse> Invoices, IReadOnlyList<PaymentResponse> Payments, UsageResponse? Usage, string? UsageProblem);

/// <summary>Customers: a search paged like <c>GET /api/v1/admin/customers</c>, and one customer's page.</summary>
internal static class ConsoleCustomerPages
{
    public const int CustomersPerPage = 50;
    public const int ShopsShown = 10;
    public const int PeriodsPerShop = 6;
    public const int InvoicesShown = 20;
    public const int PaymentsShown = 20;
    public const int UsageDays = 30;

    public static RouteGroupBuilder MapConsoleCustomers(this RouteGroupBuilder console)
    {
        console.MapGet("/customers", ListAsync).WithName("ConsoleCustomers");
        console.MapGet("/customers/{id}", GetAsync).WithName("ConsoleCustomer");
        return console;
    }

    /// <summary><c>?q=</c> name or e-mail prefix, <c>?after=</c> the last customer id of the page before.</summary>
    private static async Task<IResult> ListAsync(string? q, string? after, CatalogStore store, CancellationToken cancellationToken)
    {
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > CatalogSearch.MaxLength } || (after is not null && !CatalogIds.IsWellFormed(after, CatalogIds.Customer)))
        {
            return ConsoleApi.Page<CustomersPage>(new CustomerListModel(
                search, [], null, $"Search for 1 to {CatalogSearch.MaxLength} characters of a name or an e-mail address."));
        }

        var customers = await store.ListCustomersAsync(new CatalogListQuery(search, after, CustomersPerPage), cancellationToken);
        var nextAfter = customers.Count == CustomersPerPage ? customers[^1].Id : null;
        return ConsoleApi.Page<CustomersPage>(new CustomerListModel(search, [.. customers.Select(c => c.ToResponse())], nextAfter, null));
    }

    private static async Task<IResult> GetAsync(
        string id, CatalogStore catalog, IGrainFactory grains, PeriodStandings standings, PaymentStore payments, UsageQuery usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!CatalogIds.IsWellFormed(id, CatalogIds.Customer) || await catalog.GetCustomerAsync(id, cancellationToken) is not { } customer)
        {
            return ConsoleApi.NotFound("customer", id);
        }

        var subscription = await SubscriptionApi.ResponseAsync(await grains.Subscription(id).GetAsync(), catalog, cancellationToken);
        var shops = await catalog.ListShopsAsync(id, new CatalogListQuery(null, null, ShopsShown + 1), cancellationToken);
        var shopModels = new List<CustomerShopModel>();
        foreach (var shop in shops.Take(ShopsShown))
        {
            var periods = await standings.ShopPeriodsAsync(shop.Id, PeriodsPerShop, cancellationToken);
            shopModels.Add(new CustomerShopModel(shop.ToResponse(), [.. periods.Select(PeriodResponse.From)]));
        }

        var (invoices, _) = await standings.ListInvoicesAsync(new AdminInvoiceQuery(null, id, null, null, null, InvoicesShown), cancellationToken);
        var paid = await payments.ListAsync(id, null, PaymentsShown, cancellationToken);
        var (usageResponse, usageProblem) = await UsageAsync(customer, usage, time, cancellationToken);
        return ConsoleApi.Page<CustomerPage>(new CustomerModel(
            customer.ToResponse(), subscription, shopModels, shops.Count > ShopsShown,
            [.. invoices.Select(i => InvoiceResponse.From(i.Document, i.Period))], [.. paid.Select(PurchaseRules.Response)], usageResponse, usageProblem));
    }

    /// <summary>The last <see cref="UsageDays"/> days in the customer's zone, as <c>GET /api/v1/admin/analytics/usage</c> gives them.</summary>
    private static async Task<(UsageResponse? Usage, string? Problem)> UsageAsync(
        CustomerProfile customer, UsageQuery usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(customer.TimeZoneId) ?? DateTimeZone.Utc;
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        try
        {
            return await usage.RunAsync(customer.Id, new DayRange(today.PlusDays(1 - UsageDays), today), cancellationToken) is { } result
                ? (UsageResponse.Of(result), null)
                : (null, null);
        }
        catch (UsageRangeTooLargeException exception)
        {
            return (null, exception.Message);
        }
    }
}
