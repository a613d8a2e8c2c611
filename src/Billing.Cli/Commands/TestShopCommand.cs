using System.CommandLine;
using Billing.Cli.Scheduler;
using Billing.Contracts.Runs;

namespace Billing.Cli.Commands;

/// <summary><c>billing test &lt;shop_id&gt;</c>: bills one shop now and shows its invoices line by line.</summary>
internal static class TestShopCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var shopId = SchedulerOptions.ShopId();
        var dryRun = SchedulerOptions.DryRun("Compute the shop's invoices without writing anything.");
        var period = SchedulerOptions.Period("Bill this month (YYYY-MM); without it, the previous month.");
        var json = SchedulerOptions.Json("Print the silo's JSON result as is.");
        var command = new Command("test", "Bill one shop and show its invoices (exit 0 billed, 5 the shop failed, 4 unknown shop or refused, 2 unreachable).")
        {
            shopId, adminKey.Option, dryRun, period, json,
        };
        command.Validators.Add(result => adminKey.Require(result, "test"));
        command.SetAction((parseResult, cancellationToken) =>
        {
            var target = SchedulerSession.Target(parseResult, globals, adminKey);
            var id = parseResult.GetRequiredValue(shopId);
            var request = new ProcessShopBillingRequest(parseResult.GetValue(period), parseResult.GetValue(dryRun));
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
