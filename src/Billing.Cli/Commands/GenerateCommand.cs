using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using Billing.Cli.Generate;

namespace Billing.Cli.Commands;

/// <summary><c>billing generate periods</c> (seed 000's billing periods) and <c>billing generate cleanup</c>.</summary>
internal static class GenerateCommand
{
    public static Command Create(GlobalOptions globals) =>
        new("generate", "Generate demo billing data through the silo's API.") { Periods(globals), Cleanup(globals) };

    private static Command Periods(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var month = RangedOption.WithoutDefault(RangedOption.Create("--month", "Month number (1..12).", 1, 12, 1));
        var year = RangedOption.WithoutDefault(RangedOption.Create("--year", $"Year ({PeriodRules.MinYear}..{PeriodRules.MaxYear}).", PeriodRules.MinYear, PeriodRules.MaxYear, 2026));
        month.Required = year.Required = true;
        var email = GeneratorSession.Email();
        var min = RangedOption.Create("--min", $"Fewest requests a day (1..{PeriodRules.MaxRequestsPerDay}).", 1, PeriodRules.MaxRequestsPerDay, PeriodRules.DefaultMinPerDay);
        var max = RangedOption.Create("--max", $"Most requests a day (1..{PeriodRules.MaxRequestsPerDay}).", 1, PeriodRules.MaxRequestsPerDay, PeriodRules.DefaultMaxPerDay);
        var status = new Option<PeriodStatus?>("--status")
        {
            Description = "paid, pending, overdue or waived; without it a past month is paid when odd and overdue when even, the current month pending.",
            CustomParser = ParseStatus,
        };
        var seed = RangedOption.WithoutDefault(RangedOption.Create("--seed", "Seed of the random data (0..2147483647): the same seed gives the same data.", 0, int.MaxValue, 0));
        var command = new Command(
            "periods", "Generate a month's billing period for a customer: a shop and a key named after the month, its requests, its invoice and status (seed 000).")
        {
            month, year, email, min, max, status, seed, adminKey.Option,
        };
        command.Validators.Add(result =>
        {
            adminKey.Require(result, "generate periods");
            // Read from the tokens: a value out of its range has its own error, and GetValue would throw on it.
            if (Given(result, min, PeriodRules.DefaultMinPerDay) > Given(result, max, PeriodRules.DefaultMaxPerDay))
            {
                result.AddError("--min must not be above --max.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            var now = globals.Time.GetUtcNow();
            var chosenSeed = parseResult.GetResult(seed) is null ? Random.Shared.Next() : parseResult.GetValue(seed);
            var request = new GenerateRequest(
                parseResult.GetValue(year), parseResult.GetValue(month), parseResult.GetValue(email)!.Trim(), parseResult.GetValue(min), parseResult.GetValue(max),
                parseResult.GetValue(status), chosenSeed);
            if (PeriodRules.Refusal(request.Year, request.Month, request.Status, DateOnly.FromDateTime(now.UtcDateTime)) is { } refusal)
            {
                output.Error.WriteLine($"billing: {refusal}");
                return Task.FromResult(ExitCodes.Usage);
            }

            output.Output.WriteLine($"Seed: {chosenSeed}");
            var plan = MonthPlanner.Plan(request, now);
            return GeneratorSession.RunAsync(parseResult, globals, adminKey, (api, console) =>
                new PeriodGenerator(api, console, output.Output).RunAsync(plan, request, cancellationToken));
        });
        return command;
    }

    private static Command Cleanup(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var email = GeneratorSession.Email();
        var command = new Command(
            "cleanup", "Take a customer's generated months out of use: close their shops (revoking the keys), waive what is unpaid, move the e-mail aside.")
        {
            email, adminKey.Option,
        };
        command.Validators.Add(result => adminKey.Require(result, "generate cleanup"));
        command.SetAction((parseResult, cancellationToken) => GeneratorSession.RunAsync(parseResult, globals, adminKey, (api, console) =>
            new GeneratedCleanup(api, console, globals.Time.GetUtcNow()).RunAsync(parseResult.GetValue(email)!.Trim(), cancellationToken)));
        return command;
    }

    private static int? Given(CommandResult result, Option<int> option, int fallback) =>
        result.GetResult(option) is not { Implicit: false } given ? fallback
        : given.Tokens is [.., var last] && int.TryParse(last.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : null;

    private static PeriodStatus? ParseStatus(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        if (Enum.TryParse<PeriodStatus>(text, ignoreCase: true, out var status) && !int.TryParse(text, out _))
        {
            return status;
        }

        result.AddError($"--status must be paid, pending, overdue or waived, got '{text}'.");
        return null;
    }
}
