using Billing.Silo.Grains;

namespace Billing.Silo.Payments.Collection;

/// <summary>The grain per invoice being collected: runs its attempts, one at a time, on its reminder.</summary>
[Alias("billing.IInvoiceCollectionGrain")]
public interface IInvoiceCollectionGrain : IGrainWithStringKey
{
    /// <summary>Runs the due attempt now (after the invoice is issued, or from the sweep) and keeps the reminder on the next one.</summary>
    [Alias("collect-due")]
    Task<CollectionStatus> CollectDueAsync();

    /// <summary>The customer asks for an attempt now, due or not (e.g. with a new card after a suspension).</summary>
    [Alias("collect-now")]
    Task<CollectionStatus> CollectNowAsync();
}

/// <summary>
/// Dunning on Orleans reminders. The <c>collect</c> reminder is registered for the next attempt
/// (its first tick is the attempt's due instant), so the schedule survives restarts and silo
/// failures; a tick before the due instant, or for a collection that is over, changes nothing.
/// One activation per invoice, not reentrant: two attempts of one invoice never overlap.
/// </summary>
[GrainType("invoice-collection")]
public sealed partial class InvoiceCollectionGrain(CollectionAttempts attempts, TimeProvider time, ILogger<InvoiceCollectionGrain> logger)
    : Grain, IInvoiceCollectionGrain, IRemindable
{
    public const string CollectReminder = "collect";

    private string InvoiceId => this.GetPrimaryKeyString();

    public Task<CollectionStatus> CollectDueAsync() => RunAsync(evenIfNotDue: false);

    public Task<CollectionStatus> CollectNowAsync() => RunAsync(evenIfNotDue: true);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CollectReminder)
        {
            await GrainReminders.KeepOrRemoveAsync(this, reminderName, comeBackAt: null, time.GetUtcNow(), attempts.RetryPeriod);
            return;
        }

        await RunAsync(evenIfNotDue: false);
    }

    private async Task<CollectionStatus> RunAsync(bool evenIfNotDue)
    {
        var result = await attempts.RunDueAsync(InvoiceId, evenIfNotDue, CancellationToken.None);
        // A test clock's advance runs its attempts: a reminder on the silo's time would come at once, again and again.
        await GrainReminders.KeepOrRemoveAsync(this, CollectReminder, result.OnTestClock ? null : result.ComeBackAt, time.GetUtcNow(), attempts.RetryPeriod);
        LogRun(logger, InvoiceId, result.Status.ToString());
        return result.Status;
    }

    [LoggerMessage(EventId = 8210, Level = LogLevel.Debug, Message = "Collection of invoice {InvoiceId}: {Status}")]
    private static partial void LogRun(ILogger logger, string invoiceId, string status);
}
