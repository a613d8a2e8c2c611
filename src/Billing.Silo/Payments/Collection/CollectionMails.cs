using Billing.Silo.Catalog;
using Billing.Silo.Email;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Payments.Collection;

/// <summary>
/// The customer's mails about a collection (seed 004): payment failed (with the next retry's date
/// in the customer's zone), payment received, account suspended. Composed before the change they
/// report and queued in its transaction; null while e-mail is off, so nothing is read for them then.
/// </summary>
public sealed class CollectionMails(EmailOutbox outbox, CatalogStore catalog, PeriodStandingStore periods)
{
    public bool IsEnabled => outbox.IsEnabled;

    public Task<OutgoingEmail?> FailedAsync(StoredCollection c, StoredPayment attempt, int number, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        ComposeAsync(c, cancellationToken, (customer, invoiceNumber, zone) => EmailTemplates.PaymentFailed(
            customer.Email, customer.Name, c.InvoiceId, invoiceNumber, c.Amount, attempt.DeclineCode ?? attempt.FailureCode ?? "declined", number,
            Instant.FromDateTimeOffset(retryAt).InZone(zone).Date));

    public Task<OutgoingEmail?> ReceivedAsync(StoredCollection c, StoredPayment payment, CancellationToken cancellationToken) =>
        ComposeAsync(c, cancellationToken, (customer, invoiceNumber, zone) => EmailTemplates.PaymentReceived(
            customer.Email, customer.Name, payment.PaymentId.ToString("N"), invoiceNumber, c.Amount, Instant.FromDateTimeOffset(payment.UpdatedAt).InZone(zone).Date));

    public Task<OutgoingEmail?> SuspendedAsync(StoredCollection c, CancellationToken cancellationToken) =>
        ComposeAsync(c, cancellationToken, (customer, invoiceNumber, _) => EmailTemplates.AccountSuspended(
            customer.Email, customer.Name, c.CustomerId, c.InvoiceId, invoiceNumber, c.Amount));

    private async Task<OutgoingEmail?> ComposeAsync(
        StoredCollection c, CancellationToken cancellationToken, Func<Billing.Domain.CustomerProfile, string, DateTimeZone, OutgoingEmail> compose)
    {
        if (!outbox.IsEnabled)
        {
            return null;
        }

        var customer = await catalog.GetCustomerAsync(c.CustomerId, cancellationToken)
            ?? throw new Billing.Domain.InvariantViolationException($"Collection of {c.InvoiceId} names customer {c.CustomerId}, who does not exist.");
        var period = await periods.InvoicedPeriodAsync(c.InvoiceId, cancellationToken)
            ?? throw new Billing.Domain.InvariantViolationException($"Collection of {c.InvoiceId} has no invoiced period.");
        return compose(customer, period.InvoiceNumber ?? c.InvoiceId, DateTimeZoneProviders.Tzdb[period.Period.ZoneId]);
    }
}
