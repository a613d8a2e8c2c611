using Billing.Domain;
using Billing.Silo.Catalog;
using Billing.Silo.Email;
using NodaTime;

namespace Billing.Silo.Payments.Renewals;

/// <summary>
/// The customer's mails about a renewal: failed (with the next attempt's date in the customer's
/// zone, or lapsed) and renewed (a receipt). Composed before the change they report and queued in
/// its transaction; null while e-mail is off, so nothing is read for them then.
/// </summary>
public sealed class RenewalMails(EmailOutbox outbox, CatalogStore catalog)
{
    public Task<OutgoingEmail?> FailedAsync(StoredRenewal r, Plan plan, StoredPayment attempt, int number, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        ComposeAsync(r, cancellationToken, customer => EmailTemplates.RenewalFailed(
            customer.Email, customer.Name, RenewalId(r), plan.Name, LocalDay(r.PeriodEnd, customer), plan.Price,
            attempt.DeclineCode ?? attempt.FailureCode ?? "declined", number, retryAt is { } at ? LocalDay(at, customer) : null));

    public Task<OutgoingEmail?> RenewedAsync(StoredRenewal r, Plan plan, StoredPayment payment, DateTimeOffset nextEnd, CancellationToken cancellationToken) =>
        ComposeAsync(r, cancellationToken, customer => EmailTemplates.PlanRenewed(
            customer.Email, customer.Name, payment.PaymentId.ToString("N"), plan.Name, payment.Amount, LocalDay(payment.UpdatedAt, customer), LocalDay(nextEnd, customer)));

    /// <summary>A renewal is one customer's period end: what names its mails.</summary>
    private static string RenewalId(StoredRenewal r) => $"{r.CustomerId}.{r.PeriodEnd.ToUnixTimeMilliseconds()}";

    private static LocalDate LocalDay(DateTimeOffset at, CustomerProfile customer) => Instant.FromDateTimeOffset(at).InZone(customer.TimeZone).Date;

    private async Task<OutgoingEmail?> ComposeAsync(StoredRenewal r, CancellationToken cancellationToken, Func<CustomerProfile, OutgoingEmail> compose)
    {
        if (!outbox.IsEnabled)
        {
            return null;
        }

        var customer = await catalog.GetCustomerAsync(r.CustomerId, cancellationToken)
            ?? throw new InvariantViolationException($"The renewal of {r.CustomerId} names a customer who does not exist.");
        return compose(customer);
    }
}
