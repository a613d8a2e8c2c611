namespace Billing.Silo.Grains;

/// <summary>
/// Suspension for unpaid invoices. The count of suspending invoices is read on activation with the
/// balance and kept in memory, so a consume pays one comparison for it. The grain is the only
/// writer of its customer's rows, and each write answers the count it left, so memory follows
/// the table even when a suspension and a reinstatement interleave.
/// </summary>
public sealed partial class SubscriptionGrain
{
    private int suspendingInvoices;

    public async Task<SubscriptionView> SuspendAsync(string invoiceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        suspendingInvoices = await suspensions.SuspendAsync(subscription.CustomerId, invoiceId, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        LogSuspended(logger, subscription.CustomerId, invoiceId, suspendingInvoices);
        return View(subscription);
    }

    public async Task<SubscriptionView> ReinstateAsync(string invoiceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        var before = suspendingInvoices;
        suspendingInvoices = await suspensions.ReinstateAsync(subscription.CustomerId, invoiceId, CancellationToken.None);
        if (before > 0 && suspendingInvoices == 0)
        {
            LogReinstated(logger, subscription.CustomerId, invoiceId);
        }

        return View(subscription);
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Customer {CustomerId} suspended for unpaid invoice {InvoiceId} ({Count} suspending invoice(s))")]
    private static partial void LogSuspended(ILogger logger, string customerId, string invoiceId, int count);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Customer {CustomerId} reinstated: invoice {InvoiceId} was settled")]
    private static partial void LogReinstated(ILogger logger, string customerId, string invoiceId);
}
