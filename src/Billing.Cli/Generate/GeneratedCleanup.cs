using System.Globalization;
using System.Text.Json;
using Billing.Contracts.Catalog;
using Spectre.Console;

namespace Billing.Cli.Generate;

/// <summary>
/// <c>billing generate cleanup</c>: takes what the generator made for a customer out of use. Invoices keep their gapless
/// numbers and are never deleted, so the cleanup closes the generated shops (which revokes their keys and invoices an
/// open month), waives whatever of theirs is unpaid, and moves the customer's e-mail aside (<c>demo+cleaned-…@example.com</c>),
/// so the next run for that e-mail starts from a new customer.
/// </summary>
internal sealed class GeneratedCleanup(GeneratorApi api, IAnsiConsole console, DateTimeOffset now)
{
    public const string WaiverReason = "Generated data removed (billing generate cleanup)";

    public async Task<int> RunAsync(string email, CancellationToken cancellationToken)
    {
        if (await api.FindCustomerAsync(email, cancellationToken) is not { } customer)
        {
            console.WriteLine($"No customer has the e-mail {email}: nothing to clean up.");
            return ExitCodes.Ok;
        }

        var shops = await api.GeneratedShopsAsync(customer.GetProperty("id").GetString()!, cancellationToken);
        var waived = 0;
        foreach (var shop in shops)
        {
            var shopId = shop.GetProperty("id").GetString()!;
            await api.PostAsync($"api/v1/admin/shops/{shopId}/close", new ShopCloseRequest(null), GenerateJson.Default.ShopCloseRequest, cancellationToken);
            var periods = (await api.GetAsync($"api/v1/admin/shops/{shopId}/periods", cancellationToken)).GetProperty("periods").EnumerateArray();
            foreach (var period in periods.Where(p => p.GetProperty("status").GetString() is "pending" or "overdue"
                && p.GetProperty("invoice_id").ValueKind == JsonValueKind.String))
            {
                await api.PostAsync(
                    $"api/v1/admin/invoices/{period.GetProperty("invoice_id").GetString()}/waive", new WaiverBody(WaiverReason), GenerateJson.Default.WaiverBody, cancellationToken);
                waived++;
            }
        }

        var customerId = customer.GetProperty("id").GetString()!;
        var movedTo = MovedAside(email, now);
        await api.PatchAsync($"api/v1/admin/customers/{customerId}", new CustomerPatchRequest(null, movedTo, null, null), GenerateJson.Default.CustomerPatchRequest, cancellationToken);
        console.WriteLine($"Cleaned up {shops.Count} generated months of {email}: shops closed, keys revoked, {waived} unpaid invoices waived; customer {customerId} is now {movedTo}.");
        return ExitCodes.Ok;
    }

    /// <summary>"demo@example.com" → "demo+cleaned-20261207143000@example.com": still an address, no longer the generator's.</summary>
    public static string MovedAside(string email, DateTimeOffset now)
    {
        var at = email.LastIndexOf('@');
        return string.Create(CultureInfo.InvariantCulture, $"{email[..at]}+cleaned-{now.UtcDateTime:yyyyMMddHHmmss}{email[at..]}");
    }
}
