namespace Billing.Silo.Tests.Readme;

/// <summary>
/// The request a README <c>curl</c> command sends, read from its words as curl reads them: <c>-X</c>, <c>-H</c>,
/// <c>-d</c>/<c>--data</c>/<c>--data-raw</c>/<c>--data-binary</c> (with <c>@file</c>), bundled short flags
/// (<c>-sH</c>), and a URL with or without its scheme. Output options (<c>-o</c>, <c>&gt; file</c>) are read and dropped;
/// a pipe ends the command and is kept as <see cref="Pipe"/>.
/// </summary>
internal sealed record CurlCommand(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, string? Body, IReadOnlyList<string> Pipe)
{
    private const string ShortFlagsWithoutValue = "sSfiLvk";

    /// <summary>Reads the words after <c>curl</c>; <paramref name="file"/> gives the text of an <c>@file</c> body.</summary>
    public static CurlCommand Parse(IReadOnlyList<string> words, Func<string, string> file)
    {
        if (words.Count == 0 || words[0] != "curl")
        {
            throw new FormatException("not a curl command");
        }

        string? method = null, url = null, body = null;
        var headers = new List<(string, string)>();
        var pipe = new List<string>();
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            switch (word)
            {
                case "|":
                    pipe.AddRange(words.Skip(i + 1));
                    i = words.Count;
                    break;
                case ">" or "-o" or "--output":
                    i++;
                    break;
                case "-X" or "--request":
                    method = Next(ref i);
                    break;
                case "-H" or "--header":
                    headers.Add(Header(Next(ref i)));
                    break;
                case "-d" or "--data" or "--data-raw":
                    body = Data(Next(ref i), word != "--data-raw", stripNewlines: true);
                    break;
                case "--data-binary":
                    body = Data(Next(ref i), fromFile: true, stripNewlines: false);
                    break;
                case "--fail" or "--silent" or "--show-error":
                    break;
                default:
                    if (word.StartsWith('-') && !word.StartsWith("--", StringComparison.Ordinal))
                    {
                        Bundle(word, ref i);
                    }
                    else if (word.StartsWith('-'))
                    {
                        throw new FormatException($"curl option {word} is not read by the README test; use one it reads");
                    }
                    else
                    {
                        url = url is null ? word : throw new FormatException($"two URLs: {url} and {word}");
                    }

                    break;
            }
        }

        if (url is null)
        {
            throw new FormatException("no URL");
        }

        method ??= body is null ? "GET" : "POST";
        return new CurlCommand(method, PathAndQueryOf(url), headers, body, pipe);

        string Next(ref int index) =>
            ++index < words.Count ? words[index] : throw new FormatException($"{words[index - 1]} needs a value");

        string Data(string value, bool fromFile, bool stripNewlines)
        {
            if (!fromFile || !value.StartsWith('@'))
            {
                return value;
            }

            var text = file(value[1..]);
            return stripNewlines ? text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal) : text;
        }

        void Bundle(string flags, ref int index)
        {
            for (var k = 1; k < flags.Length; k++)
            {
                var flag = flags[k];
                if (ShortFlagsWithoutValue.Contains(flag, StringComparison.Ordinal))
                {
                    continue;
                }

                var value = k + 1 < flags.Length ? flags[(k + 1)..] : Next(ref index);
                switch (flag)
                {
                    case 'X': method = value; break;
                    case 'H': headers.Add(Header(value)); break;
                    case 'd': body = Data(value, fromFile: true, stripNewlines: true); break;
                    case 'o': break;
                    default: throw new FormatException($"curl option -{flag} is not read by the README test");
                }

                return;
            }
        }
    }

    private static (string, string) Header(string header)
    {
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? (header[..colon].Trim(), header[(colon + 1)..].Trim())
            : throw new FormatException($"header '{header}' has no name: value");
    }

    private static string PathAndQueryOf(string url)
    {
        var absolute = url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;
        return Uri.TryCreate(absolute, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.PathAndQuery
            : throw new FormatException($"'{url}' is not a URL");
    }

    /// <summary>The value of the named header, if sent (names compare as HTTP does).</summary>
    public string? HeaderValue(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).LastOrDefault();
}
