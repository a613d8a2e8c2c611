using Billing.Cli.Commands;
using Billing.Cli.Generate;

namespace Billing.Cli.Tests;

/// <summary>Seed 000's rules for <c>billing generate periods</c>, without a silo: what is refused, and what the plan of a month holds.</summary>
public sealed class GenerateCommandTests
{
    // 21 November 2026, noon UTC: November is current, December the future.
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Fact]
    public async Task FutureMonthIsRefusedAsAUsageErrorBeforeAnythingIsSent()
    {
        var run = await RunAsync("generate", "periods", "--month", "12", "--year", "2026");

        CliAssert.UsageError(run, "DECEMBER 2026 is in the future: only the current month (NOVEMBER 2026) and past months can be generated.");
        Assert.Equal(ExitCodes.Usage, (await RunAsync("generate", "periods", "--month", "1", "--year", "2027")).ExitCode);
    }

    [Fact]
    public async Task CurrentMonthIsAlwaysPendingSoAnotherStatusIsRefused()
    {
        var run = await RunAsync("generate", "periods", "--month", "11", "--year", "2026", "--status", "paid");

        CliAssert.UsageError(run, "NOVEMBER 2026 is the current month, which is always pending: leave out --status or pass --status pending.");
    }

    [Theory]
    [InlineData("--month 10 --year 2026 --status late", "--status must be paid, pending, overdue or waived, got 'late'.")]
    [InlineData("--month 10 --year 2026 --min 40 --max 30", "--min must not be above --max.")]
    [InlineData("--month 13 --year 2026", "--month must be a whole number from 1 to 12, got '13'.")]
    [InlineData("--month 10 --year 2026 --max 1001", "--max must be a whole number from 1 to 1000, got '1001'.")]
    [InlineData("--month 10 --year 2026 --seed x", "--seed must be a whole number from 0 to 2147483647, got 'x'.")]
    public async Task BadOptionsAreUsageErrorsNamingTheValue(string options, string message)
    {
        var run = await RunAsync(["generate", "periods", .. options.Split(' ')]);

        CliAssert.UsageError(run, message);
    }

    [Fact]
    public async Task EveryGeneratorCommandNeedsTheAdminKey()
    {
        var generate = await CliRunner.RunAsync("generate", "periods", "--month", "10", "--year", "2026");
        var verify = await CliRunner.RunAsync("verify", "periods");
        var cleanup = await CliRunner.RunAsync("generate", "cleanup");

        CliAssert.UsageError(generate, "generate periods needs the silo's admin key: pass --admin-key or set $BILLING_ADMIN_KEY.");
        CliAssert.UsageError(verify, "verify periods needs the silo's admin key");
        CliAssert.UsageError(cleanup, "generate cleanup needs the silo's admin key");
    }

    [Fact]
    public void PastMonthsArePaidWhenOddOverdueWhenEvenUnlessAStatusIsGivenAndTheCurrentMonthIsPending()
    {
        Assert.Equal(PeriodStatus.Paid, PeriodRules.StatusFor(2026, 9, null, Today));
        Assert.Equal(PeriodStatus.Overdue, PeriodRules.StatusFor(2026, 10, null, Today));
        Assert.Equal(PeriodStatus.Paid, PeriodRules.StatusFor(2025, 11, null, Today));
        Assert.Equal(PeriodStatus.Overdue, PeriodRules.StatusFor(2025, 12, null, Today));
        Assert.Equal(PeriodStatus.Waived, PeriodRules.StatusFor(2026, 9, PeriodStatus.Waived, Today));
        Assert.Equal(PeriodStatus.Overdue, PeriodRules.StatusFor(2026, 7, PeriodStatus.Overdue, Today));
        Assert.Equal(PeriodStatus.Pending, PeriodRules.StatusFor(2026, 11, null, Today));
        Assert.Equal(PeriodStatus.Pending, PeriodRules.StatusFor(2026, 11, PeriodStatus.Pending, Today));
    }

    [Fact]
    public void KeysAndShopsAreNamedAfterTheMonthInCapitals()
    {
        Assert.Equal(
            ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"],
            Enumerable.Range(1, 12).Select(PeriodRules.KeyName));
        Assert.Equal("JUNE 2025 (generated)", PeriodRules.ShopName(2025, 6));
        Assert.Equal(new DateOnly(2025, 6, 1), PeriodVerifier.MonthOf("JUNE 2025 (generated)"));
        Assert.Null(PeriodVerifier.MonthOf("My shop (generated)"));
        Assert.Null(PeriodVerifier.MonthOf("JUNE 25 (generated)"));
    }

    [Fact]
    public void TheSameSeedGivesTheSameMonthWithEachDayWithinMinAndMaxAndEightyFiveToNinetyPercentSucceeding()
    {
        var request = new GenerateRequest(2026, 6, "demo@example.com", 50, 100, null, 1234);

        var plan = MonthPlanner.Plan(request, Now);
        var again = MonthPlanner.Plan(request, Now);
        var other = MonthPlanner.Plan(request with { Seed = 1235 }, Now);

        Assert.Equal(30, plan.Days.Count);
        Assert.Equal(plan.Days.SelectMany(d => d.Requests), again.Days.SelectMany(d => d.Requests));
        Assert.NotEqual(plan.Days.SelectMany(d => d.Requests), other.Days.SelectMany(d => d.Requests));
        Assert.All(plan.Days, day =>
        {
            Assert.InRange(day.Requests.Count, 50, 100);
            Assert.All(day.Requests, r => Assert.Equal(day.Day, DateOnly.FromDateTime(r.OccurredAt.UtcDateTime)));
            Assert.Equal(day.Requests.OrderBy(r => r.OccurredAt), day.Requests);
        });
        Assert.InRange((plan.Requests - plan.Failures) / (decimal)plan.Requests, 0.85m, 0.90m);
        Assert.All(plan.Days.SelectMany(d => d.Requests).Where(r => !r.Succeeded), r => Assert.Contains(r.StatusCode, new[] { 400, 401, 404, 422, 429, 500, 502, 503 }));
        Assert.All(plan.Days.SelectMany(d => d.Requests), r => Assert.Contains(r.Endpoint, MonthPlanner.Endpoints));
        Assert.Equal(plan.Requests * 0.01m, plan.Cost);
        Assert.Equal((PeriodStatus.Overdue, "JUNE", false), (plan.Status, plan.KeyName, plan.IsCurrent));
    }

    [Fact]
    public void TheCurrentMonthRunsUpToAMinuteBeforeNow()
    {
        var plan = MonthPlanner.Plan(new GenerateRequest(2026, 11, "demo@example.com", 10, 30, null, 7), Now);

        Assert.Equal((21, true, PeriodStatus.Pending), (plan.Days.Count, plan.IsCurrent, plan.Status));
        Assert.All(plan.Days.SelectMany(d => d.Requests), r => Assert.True(r.OccurredAt < Now.AddMinutes(-1)));
    }

    [Theory]
    [InlineData(100, "0.85", 15)]
    [InlineData(100, "0.90", 10)]
    [InlineData(100, "0.873", 13)]
    [InlineData(1000, "0.80", 150)]
    [InlineData(1000, "0.95", 100)]
    public void FailuresKeepTheMonthBetweenEightyFiveAndNinetyPercentSuccess(int total, string rate, int failures) =>
        Assert.Equal(failures, MonthPlanner.Failures(total, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void CleanupMovesTheEmailAsideToAnAddressOfItsOwn() =>
        Assert.Equal("demo+cleaned-20261121120000@example.com", GeneratedCleanup.MovedAside("demo@example.com", Now));

    private static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string> { ["BILLING_ADMIN_KEY"] = "key", ["BILLING_URL"] = "http://127.0.0.1:9" };
        var globals = new GlobalOptions(name => environment.GetValueOrDefault(name), new FixedTime(Now));
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, globals);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
