namespace Billing.Domain;

/// <summary>
/// Identifiers of catalog objects: a kind prefix and 20 random base62 characters, e.g.
/// <c>cus_4fT9kQ2mZx81LbVw0pRa</c>. Random (about 119 bits), so they reveal no counts and can be
/// made without asking the database; fixed length, so a malformed id is rejected without a lookup.
/// </summary>
public static class CatalogIds
{
    public const string Customer = "cus";
    public const string Shop = "shop";
    public const string ApiKey = "key";
    public const string Plan = "plan";

    /// <summary>A metering price plan (Pricing/PricePlan), not a token bundle <see cref="Plan"/>.</summary>
    public const string PricePlan = "price";
    public const string Invoice = "inv";
    public const string BillingRun = "run";
    public const string Alert = "alert";

    /// <summary>A credit or charge waiting for a shop's next invoice (a plan change's proration).</summary>
    public const string PendingLine = "line";

    /// <summary>A numbered credit note on a paid invoice (a refund).</summary>
    public const string CreditNote = "cn";

    /// <summary>An operator's key for the admin API (a role, a name, a hash).</summary>
    public const string OperatorKey = "op";

    /// <summary>A test clock: customers created on it live in its time.</summary>
    public const string TestClock = "clock";

    /// <summary>Random characters after the kind and its underscore.</summary>
    public const int RandomLength = 20;

    private static readonly string[] Kinds = [Customer, Shop, ApiKey, Plan, PricePlan, Invoice, BillingRun, Alert, PendingLine, CreditNote, OperatorKey, TestClock];

    /// <summary>A fresh id of the given kind (one of the constants of this class).</summary>
    public static string New(string kind) => RequireKnownKind(kind) + "_" + Base62.Random(RandomLength);

    /// <summary>True when <paramref name="id"/> has the kind's prefix and exactly the right random tail.</summary>
    public static bool IsWellFormed(string? id, string kind)
    {
        RequireKnownKind(kind);
        return id is not null
            && id.Length == kind.Length + 1 + RandomLength
            && id.StartsWith(kind, StringComparison.Ordinal)
            && id[kind.Length] == '_'
            && Base62.IsBase62(id.AsSpan(kind.Length + 1));
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="id"/> is a well-formed id of <paramref name="kind"/>.</summary>
    public static string Require(string id, string kind, string paramName) =>
        IsWellFormed(id, kind) ? id : throw new ArgumentException($"'{id}' is not a well-formed {kind} id.", paramName);

    private static string RequireKnownKind(string kind) =>
        Array.IndexOf(Kinds, kind) >= 0
            ? kind
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown id kind; use one of {string.Join(", ", Kinds)}.");
}
