using NodaTime;

namespace Billing.Domain;

/// <summary>Net payment terms: an invoice is due <see cref="NetDays"/> days after its issue date.</summary>
public sealed record PaymentTerms
{
    public const int DefaultNetDays = 14;
    public const int MaxNetDays = 365;

    public PaymentTerms(int netDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(netDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(netDays, MaxNetDays);
        NetDays = netDays;
    }

    /// <summary>Net 14.</summary>
    public static PaymentTerms Default { get; } = new(DefaultNetDays);

    public int NetDays { get; }

    /// <summary>The last local day to pay on: the issue date plus the net days.</summary>
    public LocalDate DueDate(LocalDate issueDate) => issueDate.PlusDays(NetDays);
}
