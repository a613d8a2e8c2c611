namespace Billing.Domain;

/// <summary>
/// Thrown when two amounts in different currencies are combined or compared. There is no implicit
/// conversion: mixing currencies is always a bug in the caller, never something to paper over.
/// </summary>
public sealed class CurrencyMismatchException : InvalidOperationException
{
    public CurrencyMismatchException(Currency left, Currency right, string operation)
        : base($"Cannot {operation} {left} and {right}: amounts must be in the same currency.")
    {
        Left = left;
        Right = right;
    }

    public Currency Left { get; }

    public Currency Right { get; }
}
