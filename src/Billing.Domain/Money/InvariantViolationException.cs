namespace Billing.Domain;

/// <summary>
/// A domain invariant was broken. This signals a bug, not bad input, and is thrown in release
/// builds too: a ledger or allocation that does not add up must never be persisted or billed.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException(string message)
        : base(message)
    {
    }
}
