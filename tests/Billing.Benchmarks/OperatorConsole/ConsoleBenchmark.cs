using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Benchmarks.Closing;
using Billing.Silo.Invoicing.Runs;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Benchmarks.OperatorConsole;

/// <summary>
/// The operator console on a big catalog: many customers with one shop each, two of every three
/// shops on a per-seat price plan (a tenth of them upgraded during October, for MRR movements),
/// October's usage, and October closed and invoiced by a real billing run (untimed set-up). Then
/// each console page is requested with the admin key and timed: the first view, then ten more.
/// </summary>
public static class ConsoleBenchmark
{
    private const int RequestsPerPage = 10;
    private const string AdminKey = "benchmark-admin-key-0123456789-abcdefghij";

    public static async Task RunAsync(int shops)
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        // November the 1st, 06:00 UTC: October is over in every zone of the load, New York's included.
        var clock = new ShiftedTimeProvider(CloseBenchmark.October.AddMonths(1).AddHours(6));
        await using var app = await BenchmarkSilo.StartAsync(database, clock, withEndpoints: true);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        var sql = app.Services.GetRequiredService<SqlDatabase>();
        var load = Stopwatch.StartNew();
        await CloseBenchmark.LoadAsync(sql, shops, eventsPerShop: 10, ["UTC", "Europe/Amsterdam"]);
        var plans = new[] { await CreatePlanAsync(http, "Standard", 10m), await CreatePlanAsync(http, "Pro Plus", 15m) };
        await LoadTermsAsync(sql, shops, plans);
        await BillOctoberAsync(app);
        Console.WriteLine($"set up {shops:N0} shops, their plans and October's invoices in {load.Elapsed.TotalSeconds:N0} s");

        var invoice = await FirstInvoiceIdAsync(http);
        var pages = new (string Name, string Path)[]
        {
            ("overview", "/console/"),
            ("customers, search", "/console/customers?q=Customer%2099"),
            ("customers, first page", "/console/customers"),
            ("a customer", "/console/customers/cus_" + 4_242.ToString("D20", CultureInfo.InvariantCulture)),
            ("invoices of October, pending", "/console/invoices?status=pending&period=2026-10"),
            ("an invoice, HTML", $"/api/v1/admin/invoices/{invoice}.html"),
            ("billing runs", "/console/runs"),
            ("alerts", "/console/alerts"),
            ("price plans", "/console/price-plans"),
        };
        Console.WriteLine($"| page ({shops:N0} shops) | first view ms | p50 ms of the next {RequestsPerPage} | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, path) in pages)
        {
            var (first, p50, max) = await TimeAsync(http, path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {first:N1} | {p50:N1} | {max:N1} |"));
        }

        await app.StopAsync();
    }

    /// <summary>The first request (which also warms the code path up, and fills the overview's MRR cache) and the next ones.</summary>
    private static async Task<(double FirstMs, double P50Ms, double MaxMs)> TimeAsync(HttpClient http, string path)
    {
        var timings = new List<double>(RequestsPerPage);
        var first = 0.0;
        for (var i = 0; i <= RequestsPerPage; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
            }

            if (i == 0)
            {
                first = watch.Elapsed.TotalMilliseconds;
            }
            else
            {
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        return (first, timings[timings.Count / 2], timings[^1]);
    }

    private static async Task<string> CreatePlanAsync(HttpClient http, string name, decimal pricePerSeat)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri("/api/v1/admin/price-plans", UriKind.Relative),
            new { name, currency = "EUR", charges = new[] { new { type = "per_seat", service = "Screens", price_per_seat = pricePerSeat } } });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating the plan answered {(int)response.StatusCode}: {body}");
        }

        using var plan = JsonDocument.Parse(body);
        return plan.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Shops i % 3 == 1 on the first plan, i % 3 == 2 on the second, 1–5 seats, from their creation;
    /// every tenth of those moved to 6 seats on 15 October. The rest stay on the default per-request plan.
    /// </summary>
    private static Task LoadTermsAsync(SqlDatabase database, int shops, string[] plans)
    {
        var createdMs = CloseBenchmark.October.ToUnixTimeMilliseconds() + 86_400_000;
        var upgradedMs = CloseBenchmark.October.AddDays(14).ToUnixTimeMilliseconds();
        var plan = $"(ARRAY['{plans[0]}', '{plans[1]}'])[i % 3]";
        var shop = "'shop_' || lpad(i::text, 20, '0')";
        return database.ExecuteAllAsync(
        [
            $"""
            INSERT INTO shop_billing (shop_id, price_plan_id, cycle, seats, updated_at_ms)
            SELECT {shop}, {plan}, 'monthly', CASE WHEN i % 10 = 1 THEN 6 ELSE 1 + i % 5 END,
                   CASE WHEN i % 10 = 1 THEN {upgradedMs} ELSE {createdMs} END
            FROM generate_series(1, {shops}) AS i WHERE i % 3 <> 0
            """,
            $"""
            INSERT INTO shop_terms_history (shop_id, effective_at_ms, price_plan_id, seats, cycle, recorded_at_ms)
            SELECT {shop}, {createdMs}, {plan}, 1 + i % 5, 'monthly', {createdMs}
            FROM generate_series(1, {shops}) AS i WHERE i % 3 <> 0
            UNION ALL
            SELECT {shop}, {upgradedMs}, {plan}, 6, 'monthly', {upgradedMs}
            FROM generate_series(1, {shops}) AS i WHERE i % 3 <> 0 AND i % 10 = 1
            """,
            // A subscription of a million tokens before the bulk-loaded usage (CloseBenchmark has none: a
            // close never reads it), so the customer page's balance adds up.
            $"""
            INSERT INTO subscriptions (customer_id, plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms,
                                       ends_at_ms, is_active, price_per_token_nanos, currency, updated_at_ms)
            SELECT 'cus_' || lpad(i::text, 20, '0'), 'plan_bench', 0, 1000000, 1000000, 0, {createdMs}, NULL, TRUE, 10000000, 'EUR', {createdMs}
            FROM generate_series(1, {shops}) AS i
            """,
            "ANALYZE",
        ]);
    }

    private static async Task BillOctoberAsync(WebApplication app)
    {
        var run = app.Services.GetRequiredService<BillingRunner>().Start(new RunRequest(null, new YearMonth(2026, 10), DryRun: false, RunTrigger.Api));
        var deadline = Stopwatch.StartNew();
        while (!run.Completion.Task.IsCompleted && deadline.Elapsed < TimeSpan.FromMinutes(20))
        {
            await Task.WhenAny(run.Completion.Task, Task.Delay(10_000));
            var progress = run.Snapshot(withResults: false);
            Console.WriteLine($"  billing October: {progress.ShopsProcessed:N0}/{progress.ShopsTotal:N0} shops");
        }

        if (!run.Completion.Task.IsCompleted)
        {
            throw new TimeoutException("October's billing run did not finish within 20 minutes.");
        }
    }

    private static async Task<string> FirstInvoiceIdAsync(HttpClient http)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/admin/invoices?period=2026-10&limit=1", UriKind.Relative)));
        return list.RootElement.GetProperty("invoices")[0].GetProperty("id").GetString()!;
    }
}
