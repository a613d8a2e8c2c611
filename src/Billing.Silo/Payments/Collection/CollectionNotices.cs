using System.Globalization;
using Billing.Silo.Notifications;

namespace Billing.Silo.Payments.Collection;

/// <summary>What operators are told about dunning (seed 002): a customer suspended for an unpaid invoice, and reinstated.</summary>
public sealed class CollectionNotices(NotificationOutbox outbox)
{
    public const string CustomerSuspended = "customer.suspended";
    public const string CustomerReinstated = "customer.reinstated";

    public void Suspended(StoredCollection collection, StoredPayment lastAttempt, int attempts, DateTimeOffset now) =>
        outbox.TryNotify(new Notice(
            Guid.CreateVersion7(now), CustomerSuspended,
            string.Create(CultureInfo.InvariantCulture,
                $"Customer {collection.CustomerId} suspended: invoice {collection.InvoiceId} ({collection.Amount}) unpaid after {attempts} collection attempts, the last {lastAttempt.FailureCode}."),
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["customer_id"] = collection.CustomerId, ["shop_id"] = collection.ShopId, ["invoice_id"] = collection.InvoiceId,
                ["amount"] = collection.Amount.Amount, ["currency"] = collection.Amount.Currency.Code, ["attempts"] = attempts,
                ["failure_code"] = lastAttempt.FailureCode, ["decline_code"] = lastAttempt.DeclineCode,
            },
            now));

    public void Reinstated(string customerId, string invoiceId, DateTimeOffset now) =>
        outbox.TryNotify(new Notice(
            Guid.CreateVersion7(now), CustomerReinstated, $"Customer {customerId} reinstated: invoice {invoiceId} was settled.",
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["customer_id"] = customerId, ["invoice_id"] = invoiceId },
            now));
}
