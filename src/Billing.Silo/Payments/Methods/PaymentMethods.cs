using Billing.Domain.Payments;
using Billing.Silo.Catalog;

namespace Billing.Silo.Payments.Methods;

/// <summary>What saving a method came to: the stored method, or the provider's refusal, or too many methods already.</summary>
public sealed record MethodSaveResult(StoredPaymentMethod? Method, SavedMethodOutcome? Refusal, bool TooMany = false);

/// <summary>
/// A customer's saved methods: the provider keeps the method (and its customer, created on the
/// first save); we keep its references and what may be shown. The default method is the one
/// invoices and plan renewals are charged to.
/// </summary>
public sealed class PaymentMethods(PaymentMethodStore store, IPaymentProvider provider, IPaymentMethodVault vault, CatalogStore catalog, TimeProvider time)
{
    public const string Subject = "payment_method";

    public string ProviderName => provider.Name;

    public Task<IReadOnlyList<StoredPaymentMethod>> ListAsync(string customerId, CancellationToken cancellationToken) => store.ListAsync(customerId, cancellationToken);

    public async Task<MethodSaveResult> SaveAsync(string customerId, PaymentSource source, bool makeDefault, CancellationToken cancellationToken)
    {
        var existing = await store.ListAsync(customerId, cancellationToken);
        if (existing.Count >= PaymentMethodStore.MaxMethodsPerCustomer)
        {
            return new MethodSaveResult(null, null, TooMany: true);
        }

        var customer = await catalog.GetCustomerAsync(customerId, cancellationToken)
            ?? throw new Billing.Domain.InvariantViolationException($"Customer {customerId} saves a payment method but does not exist.");
        var now = time.GetUtcNow();
        var methodId = Guid.CreateVersion7(now);
        var customerRef = await store.ProviderCustomerAsync(customerId, provider.Name, cancellationToken);
        var key = PaymentIdempotencyKey.Create(Subject, methodId.ToString("N"), attempt: 1);
        var saved = await vault.SaveMethodAsync(new MethodSetup(customerId, customerRef, customer.Email, source), key, cancellationToken);
        if (!saved.IsSaved)
        {
            return new MethodSaveResult(null, saved);
        }

        var method = new StoredPaymentMethod(
            methodId, customerId, saved.Kind, provider.Name, saved.ProviderCustomerRef, saved.ProviderMethodRef!, saved.MandateRef, saved.Brand, saved.Last4!,
            saved.ExpiryMonth, saved.ExpiryYear, makeDefault || existing.Count == 0, now);
        await store.InsertAsync(method, now.ToUnixTimeMilliseconds(), cancellationToken);
        return new MethodSaveResult(method, null);
    }

    public Task<bool> MakeDefaultAsync(string customerId, Guid methodId, CancellationToken cancellationToken) => store.MakeDefaultAsync(customerId, methodId, cancellationToken);

    public Task<bool> RemoveAsync(string customerId, Guid methodId, CancellationToken cancellationToken) =>
        store.RemoveAsync(customerId, methodId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
}
