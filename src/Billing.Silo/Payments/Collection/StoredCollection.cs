using Billing.Domain;

namespace Billing.Silo.Payments.Collection;

public enum CollectionStatus
{
    /// <summary>An attempt is due at <see cref="StoredCollection.NextAttemptAt"/>.</summary>
    Collecting,

    /// <summary>A collection attempt paid the invoice.</summary>
    Paid,

    /// <summary>Every retry failed: the customer is suspended until the invoice is paid.</summary>
    Suspended,

    /// <summary>The invoice was paid or waived another way (a transfer, an operator); no attempt is made any more.</summary>
    Settled,
}

/// <summary>A row of <c>invoice_collections</c>: an invoice being charged to its customer's default method, and how far dunning got.</summary>
public sealed record StoredCollection(
    string InvoiceId,
    string CustomerId,
    string ShopId,
    Money Amount,
    Guid MethodId,
    CollectionStatus Status,
    int Attempts,
    DateTimeOffset? FirstFailedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static string StatusName(CollectionStatus status) => status switch
    {
        CollectionStatus.Collecting => "collecting",
        CollectionStatus.Paid => "paid",
        CollectionStatus.Suspended => "suspended",
        CollectionStatus.Settled => "settled",
        _ => throw new InvariantViolationException($"Unknown collection status {status}."),
    };

    public static CollectionStatus ParseStatus(string name) => name switch
    {
        "collecting" => CollectionStatus.Collecting,
        "paid" => CollectionStatus.Paid,
        "suspended" => CollectionStatus.Suspended,
        "settled" => CollectionStatus.Settled,
        _ => throw new InvariantViolationException($"Stored collection status '{name}' is unknown."),
    };
}
