namespace Billing.Domain.Payments;

/// <summary>Where one payment attempt stands.</summary>
public enum PaymentStatus
{
    /// <summary>Submitted to the provider, no answer yet (a SEPA debit stays here for days).</summary>
    Pending,

    /// <summary>The customer must authenticate (3-D Secure) before the provider goes on.</summary>
    RequiresAction,
    Succeeded,
    Failed,
    Refunded,
    PartiallyRefunded,
}

/// <summary>
/// One payment attempt of an amount: immutable, each transition returns the next state. A failed
/// attempt stays failed; dunning makes a new attempt with a new idempotency key rather than
/// reviving this one. Every state is checked on construction — refunds never exceed the amount,
/// are in its currency, and agree with the status — and an illegal transition (succeeding twice,
/// refunding a failed payment, refunding more than was captured) throws
/// <see cref="InvariantViolationException"/>: callers decide from the provider's answer, and a
/// transition the state machine does not allow means that decision was wrong.
/// </summary>
public sealed record PaymentState
{
    /// <summary>Provider failure codes ("insufficient_funds") are short identifiers; the adapter maps anything else.</summary>
    public const int MaxFailureCodeLength = 64;

    private PaymentState(Money amount, PaymentStatus status, Money refunded, string? failureCode)
    {
        Amount = amount;
        Status = status;
        RefundedAmount = refunded;
        FailureCode = failureCode;
        CheckInvariants();
    }

    /// <summary>What is paid: positive and in whole minor units.</summary>
    public Money Amount { get; }

    public PaymentStatus Status { get; }

    /// <summary>The total refunded so far, in <see cref="Amount"/>'s currency; zero unless refunded.</summary>
    public Money RefundedAmount { get; }

    /// <summary>The provider's reason when <see cref="Status"/> is Failed, e.g. "insufficient_funds"; null otherwise.</summary>
    public string? FailureCode { get; }

    /// <summary>What can still be refunded: the amount less refunds once captured, zero before.</summary>
    public Money RefundableAmount => Status is PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded
        ? Amount - RefundedAmount
        : Money.Zero(Amount.Currency);

    /// <summary>A payment of <paramref name="amount"/> submitted to the provider.</summary>
    public static PaymentState Start(Money amount) =>
        new(amount, PaymentStatus.Pending, Money.Zero(amount.Currency), null);

    /// <summary>Pending → RequiresAction: the provider asks for the customer's authentication.</summary>
    public PaymentState RequireAction() =>
        Move("require action for", PaymentStatus.RequiresAction, PaymentStatus.Pending);

    /// <summary>Pending or RequiresAction → Succeeded: the amount is captured.</summary>
    public PaymentState Succeed() =>
        Move("succeed", PaymentStatus.Succeeded, PaymentStatus.Pending, PaymentStatus.RequiresAction);

    /// <summary>Pending or RequiresAction → Failed with the provider's <paramref name="failureCode"/> (1..<see cref="MaxFailureCodeLength"/> characters).</summary>
    public PaymentState Fail(string failureCode)
    {
        ArgumentNullException.ThrowIfNull(failureCode);
        EnsureStatus("fail", PaymentStatus.Pending, PaymentStatus.RequiresAction);
        return new PaymentState(Amount, PaymentStatus.Failed, RefundedAmount, failureCode);
    }

    /// <summary>
    /// Succeeded or PartiallyRefunded → PartiallyRefunded, or Refunded once the refunds reach the
    /// amount. <paramref name="refund"/> is positive, in whole minor units of the payment's currency,
    /// and at most <see cref="RefundableAmount"/>.
    /// </summary>
    public PaymentState Refund(Money refund)
    {
        EnsureStatus("refund", PaymentStatus.Succeeded, PaymentStatus.PartiallyRefunded);
        if (refund.Currency != Amount.Currency)
        {
            throw new InvariantViolationException($"Cannot refund {refund} of a payment in {Amount.Currency}.");
        }

        if (refund.Amount <= 0m || !refund.IsRounded)
        {
            throw new InvariantViolationException($"A refund must be positive and in whole minor units, got {refund}.");
        }

        if (refund > RefundableAmount)
        {
            throw new InvariantViolationException(
                $"Cannot refund {refund} of a payment of {Amount}: {RefundedAmount} is already refunded, {RefundableAmount} is left.");
        }

        var refunded = RefundedAmount + refund;
        var status = refunded == Amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        return new PaymentState(Amount, status, refunded, null);
    }

    public override string ToString() => Status switch
    {
        PaymentStatus.Failed => $"{Amount} Failed ({FailureCode})",
        PaymentStatus.Refunded or PaymentStatus.PartiallyRefunded => $"{Amount} {Status}, {RefundedAmount} refunded",
        _ => $"{Amount} {Status}",
    };

    private PaymentState Move(string action, PaymentStatus to, params PaymentStatus[] from)
    {
        EnsureStatus(action, from);
        return new PaymentState(Amount, to, RefundedAmount, null);
    }

    private void EnsureStatus(string action, params PaymentStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new InvariantViolationException(
                $"Cannot {action} a payment that is {Status}; only a payment that is {string.Join(" or ", allowed)} can.");
        }
    }

    private void CheckInvariants()
    {
        if (Amount.Amount <= 0m || !Amount.IsRounded)
        {
            throw new InvariantViolationException($"A payment is of a positive amount in whole minor units, got {Amount}.");
        }

        var refundedMatchesStatus = RefundedAmount.Currency == Amount.Currency && Status switch
        {
            PaymentStatus.Refunded => RefundedAmount == Amount,
            PaymentStatus.PartiallyRefunded => RefundedAmount.Amount > 0m && RefundedAmount < Amount,
            _ => RefundedAmount.IsZero,
        };
        var failureCodeMatchesStatus = Status == PaymentStatus.Failed
            ? FailureCode is { Length: > 0 and <= MaxFailureCodeLength }
            : FailureCode is null;
        if (!refundedMatchesStatus || !failureCodeMatchesStatus)
        {
            throw new InvariantViolationException(
                $"A {Status} payment of {Amount} cannot have {RefundedAmount} refunded and failure code '{FailureCode}'.");
        }
    }
}
