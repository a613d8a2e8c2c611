using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Billing.Cli.Generate;

/// <summary>
/// <c>billing verify periods</c>: seed 000's report of a customer's generated months, read back through the normal API
/// (periods, analytics usage, API keys): status, request statistics, daily distribution, errors and keys.
/// </summary>
internal sealed class PeriodVerifier(GeneratorApi api, IAnsiConsole console, DateOnly today)
{
    /// <summary>The widest bar of the daily distribution, in characters.</summary>
    public const int MaxBarWidth = 40;

    public async Task<int> RunAsync(string email, CancellationToken cancellationToken)
    {
        if (await api.FindCustomerAsync(email, cancellationToken) is not { } customer)
        {
            throw new GeneratorRefusedException($"no customer has the e-mail {email}: nothing was generated for it.");
        }

        var customerId = customer.GetProperty("id").GetString()!;
        var shops = await api.GeneratedShopsAsync(customerId, cancellationToken);
        var months = shops.Select(s => (Shop: s, Month: MonthOf(s.GetProperty("name").GetString()!)))
            .Where(m => m.Month is not null).Select(m => (m.Shop, Month: m.Month!.Value)).OrderBy(m => m.Month).ToList();
        console.MarkupLine(Markup.Escape($"Billing periods of {email} ({customerId}): {months.Count} generated"));
        var statuses = new List<string>();
        decimal total = 0;
        foreach (var (shop, month) in months)
        {
            var (status, cost) = await ReportMonthAsync(customerId, shop.GetProperty("id").GetString()!, month, cancellationToken);
            statuses.Add(status);
            total += cost;
        }

        var counts = string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total: {months.Count} periods ({counts}), ${total:0.00}"));
        return ExitCodes.Ok;
    }

    private async Task<(string Status, decimal Cost)> ReportMonthAsync(string customerId, string shopId, DateOnly first, CancellationToken cancellationToken)
    {
        var period = (await api.GetAsync($"api/v1/admin/shops/{shopId}/periods", cancellationToken)).GetProperty("periods").EnumerateArray()
            .First(p => p.GetProperty("period_start").GetString() == first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var last = first.AddMonths(1).AddDays(-1);
        var to = last < today ? last : today;
        var usage = await api.GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"api/v1/admin/analytics/usage?customer_id={customerId}&from={first:yyyy-MM-dd}&to={to:yyyy-MM-dd}"), cancellationToken);
        var keys = await api.ListAsync($"api/v1/admin/api-keys?shop_id={shopId}", "api_keys", cancellationToken);
        var status = period.GetProperty("status").GetString()!;
        var requests = usage.GetProperty("totals").GetProperty("requests").GetInt64();
        var errors = usage.GetProperty("totals").GetProperty("errors").GetInt64();
        var cost = period.GetProperty("total") is { ValueKind: JsonValueKind.Number } invoiced ? invoiced.GetDecimal() : PeriodRules.Cost(requests);
        var name = $"{PeriodRules.KeyName(first.Month)} {first.Year}";
        console.MarkupLine($"[bold]{Markup.Escape(name)}[/]  [{ReportConsole.Colour(status)}]{status.ToUpperInvariant()}[/]  {Markup.Escape(Standing(period))}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Requests: {requests} ({requests - errors} succeeded, {errors} failed, {PeriodGenerator.Rate(requests - errors, requests)} success), cost ${cost:0.00}"));
        WriteDays(usage.GetProperty("days").EnumerateArray().ToList());
        var failing = usage.GetProperty("endpoints").EnumerateArray().Where(e => e.GetProperty("errors").GetInt64() > 0)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.GetProperty("endpoint").GetString()} {e.GetProperty("errors").GetInt64()}"));
        console.WriteLine($"  Errors by endpoint: {string.Join(", ", failing)}");
        foreach (var key in keys)
        {
            var revoked = key.GetProperty("revoked_at") is { ValueKind: JsonValueKind.String } at ? $", revoked {at.GetString()}" : ", active";
            console.WriteLine($"  Key: {key.GetProperty("name").GetString()} (bk_live_{key.GetProperty("prefix").GetString()}…){revoked}");
        }

        return (status, cost);
    }

    private static string Standing(JsonElement period)
    {
        string? Text(string field) => period.GetProperty(field) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
        var parts = new List<string> { $"{Text("period_start")}..{Text("period_end")}" };
        parts.AddRange(new[] { ("invoice", Text("invoice_number")), ("due", Text("due_date")), ("paid", Text("paid_at")), ("reference", Text("payment_reference")), ("waived", Text("waived_reason")) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1} {p.Item2}"));
        var overdue = period.GetProperty("days_overdue").GetInt32();
        if (overdue > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{overdue} days overdue"));
        }

        return string.Join(", ", parts);
    }

    private void WriteDays(List<JsonElement> days)
    {
        var counts = days.Select(d => d.GetProperty("requests").GetInt64()).ToList();
        if (counts.Count == 0)
        {
            console.WriteLine("  Daily: no requests");
            return;
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Daily: {counts.Count} days, min {counts.Min()}, max {counts.Max()}, average {counts.Average():0.0}"));
        var widest = Math.Max(1, counts.Max());
        foreach (var day in days)
        {
            var requests = day.GetProperty("requests").GetInt64();
            var bar = new string('#', (int)Math.Max(1, requests * MaxBarWidth / widest));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {day.GetProperty("date").GetString()} {requests,5} {day.GetProperty("errors").GetInt64(),4} errors {bar}"));
        }
    }

    /// <summary>The first day of the month a generated shop's name ("JUNE 2026 (generated)") stands for; null for another name.</summary>
    public static DateOnly? MonthOf(string shopName)
    {
        var words = shopName.Split(' ');
        var month = Enumerable.Range(1, 12).FirstOrDefault(m => PeriodRules.KeyName(m) == words[0]);
        return words.Length == 3 && month > 0 && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && year is >= PeriodRules.MinYear and <= PeriodRules.MaxYear && PeriodRules.ShopName(year, month) == shopName
            ? new DateOnly(year, month, 1)
            : null;
    }
}
