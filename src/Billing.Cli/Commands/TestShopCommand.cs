using System.CommandLine;
using Billing.Cli.Scheduler;
using Billing.Contracts.Runs;

namespace Billing.Cli.Commands;

/// <summary>
/// <c>billing test &lt;shop_id&gt;</c>: prices one shop's due periods and shows its invoices line by line. A test never
/// bills by accident: it is a dry run unless <c>--bill</c> asks for the invoices to be issued.
/// </summary>
internal static class TestShopCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var shopId = SchedulerOptions.ShopId();
        var dryRun = SchedulerOptions.DryRun("Compute the shop's invoices without writing anything (the default).");
        var bill = new Option<bool>("--bill") { Description = "Issue the invoices for real: close the shop's due periods and write them." };
        var period = SchedulerOptions.Period("Bill this month (YYYY-MM); without it, the previous month.");
        var json = SchedulerOptions.Json("Print the silo's JSON result as is.");
        var command = new Command("test", "Show one shop's invoices, computed without writing unless --bill (exit 0 done, 5 the shop failed, 4 unknown shop or refused, 2 unreachable).")
        {
            shopId, adminKey.Option, dryRun, bill, period, json,
        };
        command.Validators.Add(result => adminKey.Require(result, "test"));
        command.Validators.Add(result =>
        {
            if (result.GetValue(bill) && result.GetValue(dryRun))
            {
                result.AddError("--bill and --dry-run contradict each other: give one (without either, nothing is written).");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var target = SchedulerSession.Target(parseResult, globals, adminKey);
            var id = parseResult.GetRequiredValue(shopId);
            var request = new ProcessShopBillingRequest(parseResult.GetValue(period), DryRun: !parseResult.GetValue(bill));
            var output = parseResult.InvocationConfiguration;
            return SchedulerSession.RunAsync(target, output.Error, async api =>
            {
                var reply = await api.ProcessShopAsync(id, request, cancellationToken);
                return await ReportAsync(reply, id, parseResult.GetValue(json), output.Output);
            });
        });
        return command;
    }

    private static async Task<int> ReportAsync(Reply<RunResponse> reply, string shopId, bool json, TextWriter stdout)
    {
        var run = reply.Value;
        var shop = run.ResultsListed.FirstOrDefault(result => result.ShopId == shopId)
            ?? throw new SiloUnreachableException($"the silo's result for shop {shopId} does not list that shop; is --url a billing silo?");
        await stdout.WriteAsync(json ? reply.Body + "\n" : ShopReportText.Format(run, shop));
        return shop.Status == RunShopResultResponse.Failed || run.HasFailures ? ExitCodes.ShopsFailed : ExitCodes.Ok;
    }
}
