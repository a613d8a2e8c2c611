namespace Billing.Domain;

/// <summary>
/// A deliberately plain address check: ASCII, one '@', a dot-atom local part and a host name
/// with at least two labels. It rejects what cannot be a mailbox (typos, pasted display names)
/// without trying to implement RFC 5322 quoting; a real address is proven by delivering to it.
/// </summary>
internal static class EmailRules
{
    public const int MaxLength = 254;
    private const int MaxLocalLength = 64;
    private const int MaxLabelLength = 63;
    private const string LocalSymbols = "!#$%&'*+-/=?^_`{|}~";

    public static bool IsValid(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (address.Length > MaxLength || at < 1 || at != address.LastIndexOf('@') || at > MaxLocalLength)
        {
            return false;
        }

        return IsDotAtom(address.AsSpan(0, at)) && IsHostName(address.AsSpan(at + 1));
    }

    private static bool IsDotAtom(ReadOnlySpan<char> local)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && !LocalSymbols.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        var labels = 0;
        var lastLabel = ReadOnlySpan<char>.Empty;
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }

            labels++;
            lastLabel = label;
        }

        // A top-level domain is never numeric: this rejects bare IP addresses like a@10.0.0.1.
        return labels >= 2 && lastLabel.Length >= 2 && !char.IsAsciiDigit(lastLabel[0]);
    }
}
