using System.Text;

namespace Billing.Silo.Tests.Readme;

/// <summary>
/// Splits one shell command line into words as bash would for the README's examples: single quotes are literal,
/// double quotes and bare words expand <c>$NAME</c> and <c>${NAME}</c>, a backslash-newline joins lines, an unquoted
/// <c>#</c> after a blank starts a comment. Pipes, redirections and the rest of the shell are words the caller reads.
/// </summary>
internal static class ShellWords
{
    /// <summary>The words of <paramref name="line"/>; a variable <paramref name="lookup"/> does not know throws, naming it.</summary>
    public static IReadOnlyList<string> Split(string line, Func<string, string?> lookup)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\n')
            {
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c == '\'')
            {
                var end = Closing(line, i, '\'');
                word.Append(line, i + 1, end - i - 1);
                (inWord, i) = (true, end);
            }
            else if (c == '"')
            {
                var end = Closing(line, i, '"');
                word.Append(Expand(line[(i + 1)..end], lookup));
                (inWord, i) = (true, end);
            }
            else if (c == '$')
            {
                var (value, next) = Variable(line, i, lookup);
                word.Append(value);
                (inWord, i) = (true, next - 1);
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (inWord)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }
    }

    /// <summary>True when every quote of <paramref name="text"/> is closed (a command may run over several lines inside quotes).</summary>
    public static bool QuotesClosed(string text)
    {
        char? open = null;
        foreach (var c in text)
        {
            if (open is null && c is '\'' or '"')
            {
                open = c;
            }
            else if (c == open)
            {
                open = null;
            }
        }

        return open is null;
    }

    private static int Closing(string line, int start, char quote)
    {
        var end = line.IndexOf(quote, start + 1);
        return end >= 0 ? end : throw new FormatException($"unclosed {quote} in: {line}");
    }

    private static string Expand(string text, Func<string, string?> lookup)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$')
            {
                var (value, next) = Variable(text, i, lookup);
                result.Append(value);
                i = next - 1;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    private static (string Value, int Next) Variable(string text, int dollar, Func<string, string?> lookup)
    {
        var braced = dollar + 1 < text.Length && text[dollar + 1] == '{';
        var start = dollar + (braced ? 2 : 1);
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        if (end == start)
        {
            return ("$", dollar + 1);
        }

        var name = text[start..end];
        var value = lookup(name) ?? throw new KeyNotFoundException($"${name} is not bound: add it to the README examples' set-up");
        return (value, braced ? end + 1 : end);
    }
}
