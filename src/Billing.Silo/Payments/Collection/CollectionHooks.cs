using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Payments.Collection;

/// <summary>
/// Collection's part in issuing an invoice: the collection row is written in the issue's
/// transaction (when the customer has a default method), and after the commit the invoice's
/// collection grain is asked to run its first attempt, without holding up the close: the grain's
/// reminder, or failing that the sweep, takes over if the call is lost.
/// </summary>
public sealed partial class CollectionIssueParticipant(IGrainFactory grains, ILogger<CollectionIssueParticipant> logger) : IInvoiceIssueParticipant
{
    public async Task<Action<InvoiceDocument>?> JoinAsync(DbConnection connection, DbTransaction transaction, InvoiceDocument draft, long nowMs, CancellationToken cancellationToken)
    {
        var amount = new Money(draft.Total, Currency.Parse(draft.Currency));
        return await InvoiceCollectionStore.OpenAsync(connection, transaction, draft.Id, draft.CustomerId, draft.ShopId, amount, nowMs, cancellationToken)
            ? StartCollection
            : null;
    }

    private void StartCollection(InvoiceDocument invoice) =>
        _ = grains.GetGrain<IInvoiceCollectionGrain>(invoice.Id).CollectDueAsync().ContinueWith(
            static (call, state) => LogStartFailed((ILogger)state!, call.Exception!.GetBaseException().Message),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    [LoggerMessage(EventId = 8211, Level = LogLevel.Warning, Message = "Starting an invoice's collection failed ({Reason}); the collection sweep starts it")]
    private static partial void LogStartFailed(ILogger logger, string reason);
}

/// <summary>
/// An invoice settled by any path: if its collection had suspended the customer, the customer is
/// reinstated at once, then the collection is marked settled (in that order: the sweep finds a
/// suspended collection with a settled invoice and reinstates again after a crash between the two).
/// </summary>
public sealed class CollectionSettlement(InvoiceCollectionStore collections, IGrainFactory grains, CollectionNotices notices, TimeProvider time) : IPeriodSettlementObserver
{
    public async Task OnSettledAsync(PeriodStandingView period, CancellationToken cancellationToken)
    {
        if (period.Row.InvoiceId is not { } invoiceId || await collections.GetAsync(invoiceId, cancellationToken) is not { Status: CollectionStatus.Suspended } collection)
        {
            return;
        }

        await ReinstateAsync(collection.InvoiceId, collection.CustomerId, cancellationToken);
    }

    public async Task ReinstateAsync(string invoiceId, string customerId, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<ISubscriptionGrain>(customerId).ReinstateAsync(invoiceId);
        var now = time.GetUtcNow();
        await collections.SettleAsync(invoiceId, CollectionStatus.Suspended, now, cancellationToken);
        if (!view.IsSuspended)
        {
            notices.Reinstated(customerId, invoiceId, now);
        }
    }
}
