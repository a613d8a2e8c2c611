using Billing.Domain;

namespace Billing.Silo.Metering;

/// <summary>
/// A customer's latest grant: its ledger sequence, and what the balance was right after it when
/// usage has followed (the usage event right after the grant: its remaining_after + tokens). Without
/// such an event nothing was used since the grant and the current balance is the allowance.
/// Token alerts watch it.
/// </summary>
public sealed record CurrentGrant(long Sequence, long? AllowanceTokens);

/// <summary>
/// What a subscription grain reads on activation, in one round trip: its subscription (null if it
/// has none yet), its latest grant, how many unpaid invoices suspend the account (0: not suspended),
/// and the test clock the customer lives on with its instant in Unix ms (null: a real customer).
/// </summary>
public sealed record SubscriptionLoad(Subscription? Subscription, CurrentGrant? LatestGrant, int Suspensions, (string Id, long FrozenAtMs)? TestClock);
