using System.Globalization;
using System.Text.Json;
using Billing.Contracts.Catalog;
using Billing.Contracts.Metering;
using Spectre.Console;

namespace Billing.Cli.Generate;

/// <summary>
/// <c>billing generate periods</c> through the silo's real API: the customer (by e-mail), a shop per month opened on its
/// first day, the month's key, the month's usage back-dated in one batch a day; a past month's shop is then closed on the
/// month's last day, which invoices the month, and the invoice is paid or waived as the status says (an overdue one is
/// left unpaid and turns overdue on its due date, as every invoice does).
/// </summary>
internal sealed class PeriodGenerator(GeneratorApi api, IAnsiConsole console, TextWriter stdout)
{
    /// <summary>Tokens a generated customer's plan grants: above a month at the most requests a day allows.</summary>
    public const long PlanTokens = 1_000_000;

    public const string PlanName = "Generated requests";

    public async Task<int> RunAsync(MonthPlan plan, GenerateRequest request, CancellationToken cancellationToken)
    {
        var customer = await CustomerAsync(request.Email, cancellationToken);
        var customerId = customer.GetProperty("id").GetString()!;
        var shopName = PeriodRules.ShopName(plan.Year, plan.Month);
        if ((await api.GeneratedShopsAsync(customerId, cancellationToken)).Any(s => s.GetProperty("name").GetString() == shopName))
        {
            throw new GeneratorRefusedException(
                $"{plan.KeyName} {plan.Year} was generated for {request.Email} before (its key {plan.KeyName} is reused, not made twice): run 'billing generate cleanup --email {request.Email}' to start over.");
        }

        var currency = customer.GetProperty("currency").GetString()!;
        await api.PostAsync(
            $"api/v1/admin/customers/{customerId}/subscription", new GrantSubscriptionRequest(await PlanIdAsync(currency, cancellationToken)),
            SiloJson.Default.GrantSubscriptionRequest, cancellationToken);
        var shop = await api.PostAsync(
            $"api/v1/admin/customers/{customerId}/shops", new ShopRequest(shopName, plan.FirstDay), GenerateJson.Default.ShopRequest, cancellationToken);
        var shopId = shop.GetProperty("id").GetString()!;
        var key = await api.PostAsync($"api/v1/admin/shops/{shopId}/api-keys", new NameRequest(plan.KeyName), SiloJson.Default.NameRequest, cancellationToken);
        await SendUsageAsync(plan, shopId, key.GetProperty("key").GetString()!, cancellationToken);
        JsonElement? invoice = plan.IsCurrent ? null : await InvoiceAsync(plan, request.Seed, shopId, cancellationToken);
        Summarize(plan, request, shopId, invoice);
        return ExitCodes.Ok;
    }

    private async Task<JsonElement> CustomerAsync(string email, CancellationToken cancellationToken)
    {
        if (await api.FindCustomerAsync(email, cancellationToken) is { } found)
        {
            return found;
        }

        // Dollars at no VAT, days in UTC: the seed's $0.01 a request is then the invoice's total.
        var name = email.Split('@')[0];
        return await api.PostAsync(
            "api/v1/admin/customers", new CustomerRequest(name, email, "USD", "UTC", 0m), SiloJson.Default.CustomerRequest, cancellationToken);
    }

    private async Task<string> PlanIdAsync(string currency, CancellationToken cancellationToken)
    {
        var name = $"{PlanName} ({currency})";
        var plans = await api.ListAsync("api/v1/admin/plans", "plans", cancellationToken);
        if (plans.FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } plan)
        {
            return plan.GetProperty("id").GetString()!;
        }

        var created = await api.PostAsync(
            "api/v1/admin/plans", new PlanRequest(name, 0m, currency, PlanTokens, null, false, "Tokens for the requests billing generate periods makes."),
            SiloJson.Default.PlanRequest, cancellationToken);
        return created.GetProperty("id").GetString()!;
    }

    private Task SendUsageAsync(MonthPlan plan, string shopId, string apiKey, CancellationToken cancellationToken) =>
        ReportConsole.RunWithProgressAsync(console, stdout, $"{plan.KeyName} {plan.Year}: {plan.Requests} requests", plan.Days.Count, async step =>
        {
            foreach (var day in plan.Days)
            {
                if (day.Requests.Count > 0)
                {
                    await SendDayAsync(day, shopId, apiKey, cancellationToken);
                }

                step();
            }
        });

    private async Task SendDayAsync(DayPlan day, string shopId, string apiKey, CancellationToken cancellationToken)
    {
        var events = day.Requests.Select((r, i) => new UsageEventBody(
            1, r.Endpoint.Split('/')[^1], r.Endpoint, "POST", r.StatusCode,
            string.Create(CultureInfo.InvariantCulture, $"generated-{shopId}-{day.Day:yyyyMMdd}-{i}"), r.OccurredAt)).ToList();
        var reply = await api.PostAsShopAsync(apiKey, "api/v1/usage/batch", new UsageBatchBody(events), GenerateJson.Default.UsageBatchBody, cancellationToken);
        if (reply.GetProperty("accepted").GetInt32() != events.Count)
        {
            var refused = reply.GetProperty("results").EnumerateArray().First(r => r.GetProperty("status").GetInt32() != 200);
            throw new GeneratorRefusedException(
                $"POST /api/v1/usage/batch accepted {reply.GetProperty("accepted").GetInt32()} of {events.Count} requests of {day.Day:yyyy-MM-dd} (first refusal: {refused.GetProperty("code")}).");
        }
    }

    /// <summary>Closes the month's shop on its last day, which invoices the month, then pays or waives the invoice as asked.</summary>
    private async Task<JsonElement> InvoiceAsync(MonthPlan plan, int seed, string shopId, CancellationToken cancellationToken)
    {
        var closed = await api.PostAsync($"api/v1/admin/shops/{shopId}/close", new ShopCloseRequest(plan.LastDay), GenerateJson.Default.ShopCloseRequest, cancellationToken);
        var invoice = closed.GetProperty("invoices").EnumerateArray().Single();
        var invoicePath = $"api/v1/admin/invoices/{invoice.GetProperty("invoice_id").GetString()}";
        return plan.Status switch
        {
            PeriodStatus.Paid => await api.PostAsync(
                $"{invoicePath}/pay", new PaymentBody(null, string.Create(CultureInfo.InvariantCulture, $"GEN-{plan.KeyName}-{plan.Year}-{seed}")),
                GenerateJson.Default.PaymentBody, cancellationToken),
            PeriodStatus.Waived => await api.PostAsync(
                $"{invoicePath}/waive", new WaiverBody("Generated data: waived"), GenerateJson.Default.WaiverBody, cancellationToken),
            _ => invoice,
        };
    }

    private void Summarize(MonthPlan plan, GenerateRequest request, string shopId, JsonElement? invoice)
    {
        var status = PeriodRules.Text(plan.Status);
        console.MarkupLine(Markup.Escape($"{plan.KeyName} {plan.Year} for {request.Email}: shop {shopId}, key {plan.KeyName}") + $", [{ReportConsole.Colour(status)}]{status}[/]");
        var successes = plan.Requests - plan.Failures;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {plan.Requests} requests over {plan.Days.Count} days ({successes} succeeded, {plan.Failures} failed, {Rate(successes, plan.Requests)} success), cost ${plan.Cost:0.00}"));
        if (invoice is { } done)
        {
            var due = done.TryGetProperty("due_date", out var date) && date.ValueKind == JsonValueKind.String ? $", due {date.GetString()}" : "";
            console.WriteLine($"  invoice {Id(done)}{due}" + (plan.Status == PeriodStatus.Overdue ? ": left unpaid, overdue once the due date has passed" : ""));
        }
    }

    private static string Id(JsonElement invoice) => (invoice.TryGetProperty("invoice_id", out var id) ? id.GetString() : null) ?? "?";

    public static string Rate(long part, long whole) =>
        whole == 0 ? "-" : (part / (decimal)whole).ToString("0.0%", CultureInfo.InvariantCulture);
}
