using Microsoft.Extensions.Options;

namespace Billing.Silo.Payments.Renewals;

/// <summary>
/// The safety net under the renewal reminders: every <see cref="PaymentOptions.SweepIntervalSeconds"/>
/// it asks the grains of renewals that are past due (a schedule written just before a crash, before
/// its grain registered a reminder) to run; at most <see cref="PaymentOptions.SweepBatchSize"/> per pass.
/// </summary>
public sealed partial class RenewalSweeper(PlanRenewalStore renewals, IGrainFactory grains, IOptions<PaymentOptions> options, TimeProvider time, ILogger<RenewalSweeper> logger)
    : BackgroundService
{
    /// <summary>One pass; answers how many renewals it ran.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var due = await renewals.DueAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.SweepBatchSize, cancellationToken);
        foreach (var customerId in due)
        {
            await grains.GetGrain<IPlanRenewalGrain>(customerId).RenewDueAsync().WaitAsync(cancellationToken);
        }

        return due.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SweepLoop.RunAsync(
            TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), ct => SweepAsync(ct),
            error => LogSweepFailed(logger, options.Value.SweepIntervalSeconds, error.Message), stoppingToken);

    [LoggerMessage(EventId = 8321, Level = LogLevel.Error, Message = "The renewal sweep failed ({Reason}); retried in {IntervalSeconds} s")]
    private static partial void LogSweepFailed(ILogger logger, int intervalSeconds, string reason);
}
