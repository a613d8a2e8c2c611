using System.Text.Json;
using Billing.Contracts.Health;
using Billing.Contracts.Metering;
using Billing.Contracts.Runs;

namespace Billing.Cli.Tests;

/// <summary>
/// Pins the wire contracts both the silo and the CLI use (Billing.Contracts): the silo writes them by reflection with
/// its HTTP JSON options, the CLI reads and writes them through its source-generated <see cref="SiloJson"/>.
/// </summary>
public sealed class ContractJsonTests
{
    // The silo's HTTP JSON options (SiloHostingExtensions.AddBillingSilo): web defaults with snake_case names.
    private static readonly JsonSerializerOptions SiloOptions = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string[] RunSummaryNames =
    [
        "run_id", "status", "trigger", "period", "dry_run", "started_at", "finished_at", "shops_total", "shops_processed", "succeeded", "failed",
        "skipped", "invoices_issued", "invoices_existing", "totals", "error",
    ];

    private static RunResponse Run() => RunProgressTests.Run(total: 0, processed: 0) with
    {
        Status = RunResponse.Completed,
        FinishedAt = new DateTimeOffset(2025, 7, 1, 3, 0, 0, TimeSpan.Zero),
        ShopsTotal = 3_000_000_000L,
        ShopsProcessed = 3_000_000_000L,
        Succeeded = 2_999_999_999L,
        Failed = 1,
        InvoicesIssued = (long)int.MaxValue + 1,
        Totals = [new RunCurrencyTotalResponse("EUR", (long)int.MaxValue + 1, 10.50m, 2.21m, 12.71m)],
        Error = "one shop failed",
    };

    [Fact]
    public void RunCountsAboveTheIntRangeRoundTripFromTheSiloToTheCli()
    {
        var json = JsonSerializer.Serialize(Run(), SiloOptions);

        var read = JsonSerializer.Deserialize(json, SiloJson.Default.RunResponse)!;

        Assert.Equal(
            (3_000_000_000L, 3_000_000_000L, 2_999_999_999L, 2_147_483_648L, 2_147_483_648L),
            (read.ShopsTotal, read.ShopsProcessed, read.Succeeded, read.InvoicesIssued, read.Totals[0].Invoices));
        Assert.Equal(json, JsonSerializer.Serialize(read, SiloOptions));
    }

    [Fact]
    public void RunSummaryHasExactlyTheseSnakeCaseNamesInOrderOnBothSides()
    {
        Assert.Equal(RunSummaryNames, Names(JsonSerializer.Serialize(Run(), SiloOptions)));
        Assert.Equal(RunSummaryNames, Names(JsonSerializer.Serialize(Run(), SiloJson.Default.RunResponse)));
    }

    [Fact]
    public void RunResultAddsItsListsAndTheirShapes()
    {
        var invoice = new RunInvoiceResponse(
            null, null, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30), "EUR", 10m, 0.21m, 2.1m, 12.1m, [new RunInvoiceLineResponse("chat", 1m, 10m, 10m)]);
        var run = Run() with
        {
            Results = [new RunShopResultResponse("shp_1", RunShopResultResponse.WouldInvoice, 1, null, [invoice])],
            ResultsTruncated = false,
            Failures = [new RunShopFailureResponse("shp_2", "boom", 3)],
        };

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(run, SiloOptions));
        var root = document.RootElement;

        Assert.Equal([.. RunSummaryNames, "results", "results_truncated", "failures"], Names(root));
        var result = root.GetProperty("results")[0];
        Assert.Equal(["shop_id", "status", "attempts", "error", "invoices"], Names(result));
        Assert.Equal(
            ["invoice_id", "number", "period_start", "period_end", "currency", "subtotal", "vat_rate", "vat", "total", "lines"],
            Names(result.GetProperty("invoices")[0]));
        Assert.Equal("2025-06-30", result.GetProperty("invoices")[0].GetProperty("period_end").GetString());
        Assert.Equal(["service", "quantity", "unit_price", "amount"], Names(result.GetProperty("invoices")[0].GetProperty("lines")[0]));
        Assert.Equal(["shop_id", "error", "attempts"], Names(root.GetProperty("failures")[0]));
        Assert.Equal(["currency", "invoices", "subtotal", "vat", "total"], Names(root.GetProperty("totals")[0]));
    }

    [Fact]
    public void StatusHealthAndSubscriptionKeepTheirNames()
    {
        var letter = new DeadLetterResponse("run_1", "shp_2", "2025-06", "boom", 3, DateTimeOffset.UnixEpoch);
        var status = new SchedulerStatusResponse([], [letter], DeadLetterCount: 1, OpenPeriods: 2, InvoicesIssued: 3);
        var health = new HealthResponse(HealthResponse.Healthy, "silo", "silo-1", "sqlite", "connected", 1, null, DateTimeOffset.UnixEpoch);
        var subscription = new SubscriptionResponse("cus_1", null, null, 10, 7, 3, null, null, IsActive: true);

        Assert.Equal(["runs", "dead_letters", "dead_letter_count", "open_periods", "invoices_issued"], Names(JsonSerializer.Serialize(status, SiloOptions)));
        Assert.Equal(["run_id", "shop_id", "period", "error", "attempts", "failed_at"], Names(JsonSerializer.Serialize(letter, SiloOptions)));
        Assert.Equal(
            ["status", "role", "silo", "storage", "cluster", "active_silos", "activations", "checked_at"], Names(JsonSerializer.Serialize(health, SiloOptions)));
        Assert.Equal(
            ["customer_id", "plan_id", "plan_name", "tokens_granted", "tokens_remaining", "tokens_consumed", "start_date", "end_date", "is_active", "is_suspended"],
            Names(JsonSerializer.Serialize(subscription, SiloOptions)));
    }

    [Fact]
    public void ConsumeRequestLeavesOutAnAbsentOccurredAt() =>
        Assert.Equal(
            """{"tokens":5,"description":"loadtest","endpoint":"/v1/chat","method":"POST","status_code":200}""",
            JsonSerializer.Serialize(new ConsumeRequest(5, "loadtest", "/v1/chat", "POST", 200), SiloJson.Default.ConsumeRequest));

    [Fact]
    public void ReplyWithoutARequiredCountFailsToReadInsteadOfReadingAsZero()
    {
        var json = JsonSerializer.Serialize(Run(), SiloOptions).Replace("\"succeeded\":2999999999,", "", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, SiloJson.Default.RunResponse));
    }

    private static string[] Names(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Names(document.RootElement);
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];
}
