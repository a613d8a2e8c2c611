using System.CommandLine;
using Billing.Cli.Generate;

namespace Billing.Cli.Commands;

/// <summary><c>billing verify periods</c>: seed 000's report of a customer's generated billing periods.</summary>
internal static class VerifyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var email = GeneratorSession.Email();
        var periods = new Command("periods", "Report a customer's generated billing periods: status, requests, daily distribution, errors and keys.")
        {
            email, adminKey.Option,
        };
        periods.Validators.Add(result => adminKey.Require(result, "verify periods"));
        periods.SetAction((parseResult, cancellationToken) => GeneratorSession.RunAsync(parseResult, globals, adminKey, (api, console) =>
            new PeriodVerifier(api, console, DateOnly.FromDateTime(globals.Time.GetUtcNow().UtcDateTime)).RunAsync(parseResult.GetValue(email)!.Trim(), cancellationToken)));
        return new Command("verify", "Check generated demo data through the silo's API.") { periods };
    }
}
