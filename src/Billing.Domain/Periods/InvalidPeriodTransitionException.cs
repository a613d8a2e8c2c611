namespace Billing.Domain;

/// <summary>
/// A billing period was asked to move to a status it may not reach from where it stands, e.g. a
/// paid period waived, or an open (not yet invoiced) period paid. The HTTP layer answers 409.
/// </summary>
public sealed class InvalidPeriodTransitionException : InvalidOperationException
{
    public InvalidPeriodTransitionException(PeriodStatus from, PeriodStatus to, string reason)
        : base($"A billing period cannot go from {from.ToText()} to {to.ToText()}: {reason}.")
    {
        From = from;
        To = to;
    }

    public PeriodStatus From { get; }

    public PeriodStatus To { get; }
}
