using Billing.Silo.Storage.Sql;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Alerts;

/// <summary>
/// Seed 004's cost monitor: every <see cref="AlertOptions.EvaluationIntervalMs"/> it adds up usage
/// costs per local day of the issuer's zone (<see cref="BillingOptions.IssuerTimeZone"/>) and per
/// ISO week, platform-wide and per customer, each currency on its own, and raises the rules
/// reached. The unique key of <c>alerts</c> makes each alert exactly once per threshold and period,
/// whatever restarts happen or how many silos run this.
/// <para>
/// It looks back to the start of the previous ISO week, so a restart (or downtime of up to a
/// week) misses nothing. A day's totals are read once it has settled — ended
/// <see cref="SettleMs"/> ago, so events committed late are in — and kept; the days still open
/// (today, and yesterday while it settles) are read again on every evaluation. A week is the sum
/// of its days, so no evaluation reads more than the open days' events.
/// </para>
/// </summary>
public sealed class CostAlertMonitor(
    UsageCostReader costs, AlertStore alerts, StorageInitializer storage, IOptions<AlertOptions> options, IOptions<BillingOptions> billing, TimeProvider time, ILogger<CostAlertMonitor> logger)
    : BackgroundService
{
    public const long SettleMs = 5 * 60 * 1000;

    /// <summary>Alerts remembered as raised, so they are not inserted again every evaluation; beyond, the memory starts afresh.</summary>
    public const int MaxRememberedAlerts = 100_000;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CostThresholdSet rules = options.Value.CostRules;
    private readonly string zoneId = billing.Value.IssuerTimeZone;
    private readonly Dictionary<LocalDate, CostTotals> settledDays = [];
    private readonly HashSet<(LocalDate PeriodStart, string Kind, string Subject)> raised = [];
    private int newAlerts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || rules.Rules.Count == 0)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The first evaluation waits an interval too: start-up (migrations, activations) comes first.
                // In real time: an evaluation reads the billing clock, but a manual one jumping a month
                // in a test must not run one per minute of the jump.
                await Task.Delay(options.Value.EvaluationInterval, TimeProvider.System, stoppingToken);
                await EvaluateOrLogAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Evaluates every cost rule now and returns how many alerts were new. One evaluation at a time.</summary>
    public async Task<int> EvaluateAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await storage.EnsureInitializedAsync();
            var before = newAlerts;
            var now = Instant.FromDateTimeOffset(time.GetUtcNow());
            var today = now.InZone(DateTimeZoneProviders.Tzdb[zoneId]).Date;
            var thisWeek = AlertPeriods.WeekOf(today, zoneId);
            var firstDay = thisWeek.Start.PlusWeeks(-1);
            Forget(firstDay);
            var days = new Dictionary<LocalDate, CostTotals>();
            for (var day = firstDay; day <= today; day = day.PlusDays(1))
            {
                days[day] = settledDays.GetValueOrDefault(day) ?? await EvaluateDayAsync(day, now, cancellationToken);
            }

            await EvaluateWeekAsync(thisWeek.Previous(), days, now, cancellationToken);
            await EvaluateWeekAsync(thisWeek, days, now, cancellationToken);
            return newAlerts - before;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task EvaluateOrLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            AlertLog.EvaluationFailed(logger, error.Message, options.Value.EvaluationIntervalMs);
        }
    }

    /// <summary>Raises the day's customer and platform rules; keeps its totals once it has settled and nothing was left over.</summary>
    private async Task<CostTotals> EvaluateDayAsync(LocalDate day, Instant now, CancellationToken cancellationToken)
    {
        var period = AlertPeriods.Day(day, zoneId);
        var dayKey = AlertPeriods.DayKey(day);
        var platform = new CostTotals();
        var due = new DueAlerts();
        foreach (var currency in rules.CurrencyCodes)
        {
            var customerRule = rules.For(CostScope.CustomerDaily, currency);
            await costs.ReadAsync(
                period,
                currency,
                (customerId, nanos) =>
                {
                    platform.Add(currency, nanos);
                    Check(due, customerRule, customerId, day, dayKey, nanos, now);
                },
                cancellationToken);
        }

        foreach (var (currency, nanos) in platform.ByCurrency)
        {
            Check(due, rules.For(CostScope.Daily, currency), AlertKinds.PlatformSubject, day, dayKey, nanos, now);
        }

        await RaiseAsync(due, day, cancellationToken);
        if (!due.Truncated && period.EndInstant + Duration.FromMilliseconds(SettleMs) <= now)
        {
            settledDays[day] = platform;
        }

        return platform;
    }

    private async Task EvaluateWeekAsync(BillingPeriod week, Dictionary<LocalDate, CostTotals> days, Instant now, CancellationToken cancellationToken)
    {
        var total = new CostTotals();
        for (var day = week.Start; day < week.EndExclusive; day = day.PlusDays(1))
        {
            if (days.TryGetValue(day, out var costsOfDay))
            {
                total.AddAll(costsOfDay);
            }
        }

        var due = new DueAlerts();
        foreach (var (currency, nanos) in total.ByCurrency)
        {
            Check(due, rules.For(CostScope.Weekly, currency), AlertKinds.PlatformSubject, week.Start, week.Key, nanos, now);
        }

        await RaiseAsync(due, week.Start, cancellationToken);
    }

    private void Check(DueAlerts due, CostThreshold? rule, string subject, LocalDate periodStart, string periodKey, long nanos, Instant now)
    {
        if (rule is null || raised.Contains((periodStart, rule.Kind, subject)))
        {
            return;
        }

        var observed = MoneyNanos.ToMoney(nanos, rule.Amount.Currency);
        if (rule.IsReachedBy(observed))
        {
            due.Add(rule.AlertFor(subject, periodKey, observed, now));
        }
    }

    private async Task RaiseAsync(DueAlerts due, LocalDate periodStart, CancellationToken cancellationToken)
    {
        if (due.Truncated)
        {
            AlertLog.TooManyDue(logger, DueAlerts.MaxAlerts, AlertPeriods.DayKey(periodStart));
        }

        foreach (var alert in due.Items)
        {
            if (await alerts.RecordAsync(alert, cancellationToken))
            {
                newAlerts++;
            }

            if (raised.Count >= MaxRememberedAlerts)
            {
                raised.Clear();
            }

            raised.Add((periodStart, alert.Kind, alert.Subject));
        }
    }

    /// <summary>Drops what lies before the look-back: settled days and the memory of their alerts.</summary>
    private void Forget(LocalDate firstDay)
    {
        foreach (var day in settledDays.Keys.Where(d => d < firstDay).ToList())
        {
            settledDays.Remove(day);
        }

        raised.RemoveWhere(r => r.PeriodStart < firstDay);
    }
}
