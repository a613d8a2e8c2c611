using System.CommandLine;
using Billing.Cli.Generate;
using Billing.Cli.Simulate;

namespace Billing.Cli.Commands;

/// <summary><c>billing simulate lifecycle</c>: seed 003's customers on test clocks, six months of changes, MRR checked against the API.</summary>
internal static class SimulateCommand
{
    public static Command Create(GlobalOptions globals) =>
        new("simulate", "Simulate customers through the silo's API on test clocks.") { Lifecycle(globals) };

    private static Command Lifecycle(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var customers = RangedOption.Create(
            "--customers", $"Customers to simulate ({LifecycleRules.MinCustomers}..{LifecycleRules.MaxCustomers}).", LifecycleRules.MinCustomers, LifecycleRules.MaxCustomers, LifecycleRules.DefaultCustomers);
        var months = RangedOption.Create("--months", $"Months to advance the clocks (1..{LifecycleRules.MaxMonths}).", 1, LifecycleRules.MaxMonths, LifecycleRules.DefaultMonths);
        var seed = RangedOption.WithoutDefault(RangedOption.Create("--seed", "Seed of the simulation (0..2147483647): the same seed gives the same customers and changes.", 0, int.MaxValue, 0));
        var snapshots = new Option<string?>("--snapshots") { Description = "Write every month's snapshot of every subscription to this JSON file.", HelpName = "file" };
        var command = new Command(
            "lifecycle",
            "Seed 003: customers on five per-screen plans on test clocks, advanced a month at a time with upgrades, downgrades, cancellations and "
            + "declined cards; a snapshot of every subscription each month, and their MRR checked against the analytics API.")
        {
            customers, months, seed, snapshots, adminKey.Option,
        };
        command.Validators.Add(result =>
        {
            adminKey.Require(result, "simulate lifecycle");
            // Checked before anything is sent: the file is written only after the months have run.
            if (result.GetResult(snapshots)?.Tokens is [.., var file] && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(file.Value))))
            {
                result.AddError($"--snapshots {file.Value}: its folder does not exist.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            var chosenSeed = parseResult.GetResult(seed) is null ? Random.Shared.Next() : parseResult.GetValue(seed);
            output.Output.WriteLine($"Seed: {chosenSeed}");
            var plan = LifecyclePlanner.Plan(chosenSeed, parseResult.GetValue(customers), parseResult.GetValue(months));
            var instants = LifecycleRules.Instants(globals.Time.GetUtcNow(), plan.Months);
            return GeneratorSession.RunAsync(parseResult, globals, adminKey, (api, console) =>
                new LifecycleSimulator(api, console, output.Output, output.Error).RunAsync(plan, instants, parseResult.GetValue(snapshots), cancellationToken));
        });
        return command;
    }
}
