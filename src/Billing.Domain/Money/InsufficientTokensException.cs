namespace Billing.Domain;

/// <summary>
/// More tokens were requested than are available. Thrown before anything changes, so the
/// caller can reject the request (e.g. HTTP 402/409) with the numbers in hand.
/// </summary>
public sealed class InsufficientTokensException : InvalidOperationException
{
    public InsufficientTokensException(TokenAmount requested, TokenAmount available)
        : base($"Insufficient tokens: requested {requested}, available {available}.")
    {
        Requested = requested;
        Available = available;
    }

    public TokenAmount Requested { get; }

    public TokenAmount Available { get; }
}
