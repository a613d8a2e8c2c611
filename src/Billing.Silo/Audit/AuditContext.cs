using Billing.Silo.Auth;
using Billing.Silo.Security;

namespace Billing.Silo.Audit;

/// <summary>Who did something, as the audit log names them: <c>operator</c>, <c>customer</c> (an API key) or <c>system</c>.</summary>
public sealed record AuditActor(string Type, string Id, string? Name)
{
    public const string OperatorType = "operator";
    public const string CustomerType = "customer";
    public const string SystemType = "system";

    /// <summary>Sweeps, webhooks, reminders: whatever no request of an operator or customer caused.</summary>
    public static readonly AuditActor System = new(SystemType, SystemType, null);

    public static AuditActor Operator(OperatorPrincipal principal) => new(OperatorType, principal.KeyId, principal.Name);

    /// <summary>A customer's API key; the name is its shop.</summary>
    public static AuditActor Customer(ApiKeyPrincipal principal) => new(CustomerType, principal.KeyId, principal.ShopId);
}

/// <summary>One request's audit: its actor, and how many rows the code it ran wrote itself.</summary>
public sealed class AuditScope(AuditActor actor)
{
    private int recorded;

    public AuditActor Actor { get; } = actor;

    /// <summary>Rows written explicitly (e.g. in a payment's transaction); the admin filter then writes no generic row.</summary>
    public int Recorded => Volatile.Read(ref recorded);

    internal void NoteRecorded() => Interlocked.Increment(ref recorded);
}

/// <summary>
/// The actor of the code running now, carried by the async flow from the authentication filters to
/// the stores, so a store writes the audit row in its own transaction without every signature in
/// between naming the actor. It does not cross into grains (Orleans messages carry no async
/// locals): what grains write is audited as <c>system</c> or by the request that asked for it.
/// </summary>
public static class AuditContext
{
    private static readonly AsyncLocal<AuditScope?> Scope = new();

    public static AuditScope? Current => Scope.Value;

    /// <summary>Starts a scope for the rest of the calling async flow (an async method's own changes end with it).</summary>
    public static AuditScope Begin(AuditActor actor)
    {
        var scope = new AuditScope(actor);
        Scope.Value = scope;
        return scope;
    }
}
