using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Grains;

/// <summary>
/// Paid grants. A purchase's grant is stored with the payment's id as its grant id, so
/// token_grants' primary key admits it once; here a retry finds it stored and grants nothing.
/// </summary>
public sealed partial class SubscriptionGrain
{
    // Payments whose grant this activation is writing. The grain is reentrant: a retry arriving
    // while the first grant waits for the journal must wait for it too, not find the table empty.
    private Dictionary<Guid, Task<SubscriptionView>>? paymentGrants;

    public Task<SubscriptionView> GrantForPaymentAsync(PlanGrant plan, Guid paymentId) => GrantForPaymentAsync(plan, paymentId, renews: null);

    public Task<SubscriptionView> RenewForPaymentAsync(PlanGrant plan, Guid paymentId, DateTimeOffset periodEnd) =>
        GrantForPaymentAsync(plan, paymentId, Instant.FromDateTimeOffset(periodEnd));

    private Task<SubscriptionView> GrantForPaymentAsync(PlanGrant plan, Guid paymentId, Instant? renews)
    {
        paymentGrants ??= [];
        if (paymentGrants.TryGetValue(paymentId, out var running))
        {
            return running;
        }

        var granting = GrantOnceAsync(plan, paymentId, renews);
        if (!granting.IsCompleted)
        {
            paymentGrants[paymentId] = granting;
        }

        return granting;
    }

    private async Task<SubscriptionView> GrantOnceAsync(PlanGrant plan, Guid paymentId, Instant? renews)
    {
        try
        {
            return await store.GrantExistsAsync(paymentId, CancellationToken.None)
                ? View(subscription)
                : await GrantAsync(plan, paymentId, renews);
        }
        finally
        {
            paymentGrants?.Remove(paymentId);
        }
    }
}
