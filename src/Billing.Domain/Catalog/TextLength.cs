using System.Text;

namespace Billing.Domain;

/// <summary>
/// What "characters" means in every length limit on client text: Unicode scalar values (code points), so an
/// emoji or a CJK extension ideograph counts once, not as the two UTF-16 units .NET strings hold it in, and a
/// limit means what PostgreSQL's <c>char_length</c> means. Grapheme clusters are not used: what joins into one
/// changes between Unicode versions, and a limit must not.
/// </summary>
public static class TextLength
{
    /// <summary>The number of Unicode scalar values in <paramref name="text"/>; a lone surrogate counts as one.</summary>
    public static int Characters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>Whether <paramref name="text"/> has more than <paramref name="maxCharacters"/> characters; cheap when it is short.</summary>
    public static bool Exceeds(string text, int maxCharacters) =>
        text.Length > maxCharacters && Characters(text) > maxCharacters;
}
