using System.Globalization;
using System.Text.Json;
using Billing.Cli.Generate;
using Spectre.Console;

namespace Billing.Cli.Simulate;

/// <summary>A month's MRR from a snapshot: per plan the customers on it and what they pay, the total and the paying customers.</summary>
internal sealed record SnapshotMrr(string Month, IReadOnlyList<(int Customers, decimal Mrr)> Plans, decimal Mrr, int Paying, int New, int Expansion, int Contraction, int Churn)
{
    /// <summary>The figures of each snapshot, with its movements from the snapshot before (customers that started, grew, shrank, stopped paying).</summary>
    public static List<SnapshotMrr> Of(IReadOnlyList<MonthSnapshot> snapshots)
    {
        var report = new List<SnapshotMrr>(snapshots.Count);
        MonthSnapshot? before = null;
        foreach (var snapshot in snapshots)
        {
            var plans = LifecycleRules.Tiers.Select((_, tier) => snapshot.Subscriptions.Where(s => s.Tier == tier).ToList())
                .Select(on => (on.Count, on.Sum(s => s.MonthlyAmount))).ToList();
            var was = before?.Subscriptions.ToDictionary(s => s.Customer, s => s.MonthlyAmount) ?? [];
            var moves = snapshot.Subscriptions.Select(s => (Before: was.GetValueOrDefault(s.Customer), After: s.MonthlyAmount)).ToList();
            report.Add(new SnapshotMrr(
                snapshot.Month, plans, snapshot.Subscriptions.Sum(s => s.MonthlyAmount), snapshot.Subscriptions.Count(s => s.MonthlyAmount > 0),
                moves.Count(m => m.Before == 0 && m.After > 0), moves.Count(m => m.Before > 0 && m.After > m.Before),
                moves.Count(m => m.After > 0 && m.After < m.Before), moves.Count(m => m.Before > 0 && m.After == 0)));
            before = snapshot;
        }

        return report;
    }
}

/// <summary>
/// The MRR report from the snapshots, and its check against <c>GET /api/v1/admin/analytics/mrr?include_test_clocks=true</c>:
/// for every month and each of the run's price plans (made for this run alone, so the API's figures for them are the
/// run's whatever else the silo holds) the customers and the MRR must be equal.
/// </summary>
internal sealed class MrrCheck(GeneratorApi api, IAnsiConsole console, TextWriter stderr, IReadOnlyList<string> planIds)
{
    public async Task<int> RunAsync(IReadOnlyList<MonthSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var report = SnapshotMrr.Of(snapshots);
        var reply = await api.GetAsync($"api/v1/admin/analytics/mrr?from={report[0].Month}&to={report[^1].Month}&include_test_clocks=true", cancellationToken);
        var months = reply.GetProperty("months").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!, StringComparer.Ordinal);
        console.WriteLine($"MRR ({LifecycleRules.Currency}) from the snapshots, customers per plan and moving, against the analytics API:");
        console.WriteLine("  Month" + "MRR".PadLeft(16) + "  Free   Std  Pro+   Eng   Ent   New   Exp   Con  Churn  API");
        var differences = new List<string>();
        foreach (var month in report)
        {
            var found = Differences(month, months.GetValueOrDefault(month.Month));
            differences.AddRange(found);
            var plans = string.Concat(month.Plans.Select(p => p.Customers.ToString(CultureInfo.InvariantCulture).PadLeft(6)));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {month.Month}  {Dollars(month.Mrr),12}{plans}{month.New,6}{month.Expansion,6}{month.Contraction,6}{month.Churn,7}  {(found.Count == 0 ? "equal" : "DIFFERS")}"));
        }

        if (differences.Count > 0)
        {
            await stderr.WriteLineAsync($"billing: the MRR from the snapshots differs from the analytics API's: {string.Join("; ", differences)}.");
            return ExitCodes.MrrMismatch;
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MRR equals the analytics API's for all {report.Count} months."));
        return ExitCodes.Ok;
    }

    private List<string> Differences(SnapshotMrr month, JsonElement? apiMonth)
    {
        var plans = apiMonth?.GetProperty("currencies").EnumerateArray()
            .Where(c => c.GetProperty("currency").GetString() == LifecycleRules.Currency)
            .SelectMany(c => c.GetProperty("plans").EnumerateArray())
            .ToDictionary(p => p.GetProperty("plan_id").GetString()!, p => (p.GetProperty("customers").GetInt32(), p.GetProperty("mrr").GetDecimal()), StringComparer.Ordinal) ?? [];
        var differences = new List<string>();
        for (var tier = 0; tier < planIds.Count; tier++)
        {
            var ours = month.Plans[tier];
            var theirs = plans.GetValueOrDefault(planIds[tier]);
            if (ours != theirs)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{month.Month} {LifecycleRules.Tiers[tier].Name}: {ours.Customers} customers {Dollars(ours.Mrr)} here, {theirs.Item1} customers {Dollars(theirs.Item2)} in the API"));
            }
        }

        return differences;
    }

    private static string Dollars(decimal amount) => amount.ToString("$#,##0.00", CultureInfo.InvariantCulture);
}
