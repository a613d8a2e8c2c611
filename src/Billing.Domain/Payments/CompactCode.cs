using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Billing.Domain.Payments;

/// <summary>
/// Reading of codes people type in groups ("de89 3704 0044 …"): spaces are dropped and letters
/// upper-cased, anything else but ASCII letters and digits is refused. The rejected character is
/// named by position rather than echoing the input, since account numbers should not end up whole
/// in an error message or a log line.
/// </summary>
internal static class CompactCode
{
    /// <summary>The upper-case text without spaces, or null with the reason (its subject first).</summary>
    public static bool TryRead(
        string? text, string subject, int maxInputLength,
        [NotNullWhen(true)] out string? compact, [NotNullWhen(false)] out string? reason)
    {
        compact = null;
        if (!IsPresent(text, subject, maxInputLength, out reason))
        {
            return false;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
            else if (c != ' ')
            {
                reason = $"{subject} may only contain letters, digits and spaces; the character at position {i + 1} is not allowed";
                return false;
            }
        }

        compact = builder.ToString();
        return true;
    }

    /// <summary>
    /// False, with the reason, when <paramref name="text"/> cannot even be read: missing, blank, or
    /// longer than <paramref name="maxInputLength"/> (checked first, so oversized input costs nothing more).
    /// </summary>
    public static bool IsPresent([NotNullWhen(true)] string? text, string subject, int maxInputLength, [NotNullWhen(false)] out string? reason)
    {
        reason = string.IsNullOrWhiteSpace(text)
            ? $"{subject} is required"
            : text.Length > maxInputLength ? $"{subject} must be at most {maxInputLength} characters (got {text.Length})" : null;
        return reason is null;
    }

    /// <summary><paramref name="compact"/> in groups of four separated by one space, as printed on paper.</summary>
    public static string InGroupsOfFour(string compact)
    {
        var builder = new StringBuilder(compact.Length + compact.Length / 4);
        for (var i = 0; i < compact.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                builder.Append(' ');
            }

            builder.Append(compact[i]);
        }

        return builder.ToString();
    }
}
