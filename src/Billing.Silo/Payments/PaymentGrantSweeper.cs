using Microsoft.Extensions.Options;

namespace Billing.Silo.Payments;

/// <summary>
/// Grants the purchases that succeeded but were not seen granted: the silo died between recording
/// the provider's success and the grant, or the client went away. Every
/// <see cref="PaymentOptions.SweepIntervalSeconds"/>, at most <see cref="PaymentOptions.SweepBatchSize"/>
/// at a time. Racing the request that is granting the same payment, or another silo's sweep, is
/// harmless: the grant is keyed by the payment and happens once. Each pass also forgets as many
/// Stripe event ids older than <see cref="StripeProviderOptions.EventRetentionDays"/>.
/// </summary>
public sealed partial class PaymentGrantSweeper(
    PaymentStore payments, PlanPurchases purchases, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentGrantSweeper> logger)
    : BackgroundService
{
    /// <summary>One pass; answers how many payments it saw granted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var due = await payments.UngrantedAsync(options.Value.SweepBatchSize, cancellationToken);
        foreach (var payment in due)
        {
            await purchases.GrantAsync(payment, cancellationToken);
            LogGranted(logger, payment.PaymentId, payment.CustomerId, payment.PlanId!);
        }

        var stripe = options.Value.Stripe;
        var forgetBeforeMs = time.GetUtcNow().AddDays(-stripe.EventRetentionDays).ToUnixTimeMilliseconds();
        await payments.ForgetEventsAsync(forgetBeforeMs, options.Value.SweepBatchSize, cancellationToken);
        return due.Count;
    }

    // The next pass tries again; nothing is lost while a payment waits.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SweepLoop.RunAsync(
            TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), SweepAsync,
            error => LogSweepFailed(logger, options.Value.SweepIntervalSeconds, error.Message), stoppingToken);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Payment {PaymentId} of {CustomerId} had succeeded without its grant; plan {PlanId} granted now")]
    private static partial void LogGranted(ILogger logger, Guid paymentId, string customerId, string planId);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Granting paid purchases failed ({Reason}); retried in {IntervalSeconds} s")]
    private static partial void LogSweepFailed(ILogger logger, int intervalSeconds, string reason);
}
