using System.Text.RegularExpressions;

namespace Billing.Silo.Tests.Readme;

/// <summary>One step of the README read as a shell session: a variable set, a curl example, or a <c>billing</c> command.</summary>
internal abstract record ReadmeStep(int Line);

/// <summary><c>NAME=value</c> on a line of its own (the value still unexpanded).</summary>
internal sealed record ReadmeAssignment(int Line, string Name, string RawValue) : ReadmeStep(Line);

/// <summary>
/// A curl example: the command as written (lines joined), and what the README says it answers: the status of a
/// <c># 200 …</c> comment (null: any 2xx) and the JSON after it or in a <c>json</c> block right below (null: none shown).
/// </summary>
internal sealed record ReadmeCurl(int Line, string Command, int? Status, string? Response) : ReadmeStep(Line)
{
    public string? Response { get; set; } = Response;
}

/// <summary>A <c>billing …</c> command line of a fenced block.</summary>
internal sealed record ReadmeCli(int Line, string Command) : ReadmeStep(Line);

/// <summary>Reads README.md into its steps, in document order, and the files its fenced blocks define (<c>```csv statement.csv</c>).</summary>
internal sealed partial class ReadmeDocument
{
    private const int MaxCommandLines = 40;

    private ReadmeDocument(IReadOnlyList<ReadmeStep> steps, IReadOnlyDictionary<string, string> files) => (Steps, Files) = (steps, files);

    public IReadOnlyList<ReadmeStep> Steps { get; }

    public IReadOnlyDictionary<string, string> Files { get; }

    public IEnumerable<ReadmeCurl> Curls => Steps.OfType<ReadmeCurl>();

    public IEnumerable<ReadmeCli> Clis => Steps.OfType<ReadmeCli>();

    /// <summary>README.md as copied next to the test assembly.</summary>
    public static ReadmeDocument Load() => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")));

    public static ReadmeDocument Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var steps = new List<ReadmeStep>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        (ReadmeCurl Curl, int EndLine)? lastCurl = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                foreach (Match inline in InlineCurl().Matches(lines[i]))
                {
                    var curl = new ReadmeCurl(i + 1, inline.Groups[1].Value, null, null);
                    steps.Add(curl);
                    lastCurl = (curl, i);
                }

                continue;
            }

            var end = Array.FindIndex(lines, i + 1, line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (end < 0)
            {
                throw new FormatException($"README line {i + 1}: unclosed fenced block");
            }

            var (language, name) = (fence.Groups[1].Value, fence.Groups[2].Value);
            var body = lines[(i + 1)..end].Select(line => line[Math.Min(line.Length, fence.Groups["indent"].Length)..]).ToArray();
            if (name.Length > 0)
            {
                files.Add(name, string.Join('\n', body) + "\n");
            }

            if (language == "json" && lastCurl is { } previous && lines[(previous.EndLine + 1)..i].All(string.IsNullOrWhiteSpace))
            {
                previous.Curl.Response = previous.Curl.Response is null
                    ? string.Join('\n', body)
                    : throw new FormatException($"README line {i + 1}: the curl example above already shows a response");
            }

            if (language is "bash" or "sh")
            {
                var read = ReadBlock(body, i + 2);
                steps.AddRange(read);
                if (read.OfType<ReadmeCurl>().LastOrDefault() is { } last)
                {
                    lastCurl = (last, end);
                }
            }

            i = end;
        }

        return new ReadmeDocument(steps, files);
    }

    private static List<ReadmeStep> ReadBlock(string[] body, int firstLine)
    {
        var steps = new List<ReadmeStep>();
        for (var i = 0; i < body.Length; i++)
        {
            var line = body[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i;
            var command = body[i].Trim();
            while ((command.EndsWith('\\') || !ShellWords.QuotesClosed(command)) && i + 1 < body.Length && i - start < MaxCommandLines)
            {
                command += "\n" + body[++i].Trim();
            }

            if (command.StartsWith("curl ", StringComparison.Ordinal))
            {
                var comments = body.Skip(i + 1).TakeWhile(l => l.TrimStart().StartsWith('#')).Select(l => l.TrimStart()[1..].Trim()).ToList();
                var (status, response) = Documented(comments, command, firstLine + start);
                steps.Add(new ReadmeCurl(firstLine + start, command, status, response));
            }
            else if (command.StartsWith("billing ", StringComparison.Ordinal))
            {
                steps.Add(new ReadmeCli(firstLine + start, command));
            }
            else if (Assignments().Match(command) is { Success: true } assignments)
            {
                steps.AddRange(assignments.Groups["name"].Captures.Zip(assignments.Groups["value"].Captures)
                    .Select(pair => new ReadmeAssignment(firstLine + start, pair.First.Value, pair.Second.Value)));
            }
        }

        return steps;
    }

    /// <summary><c># 201 {"id":"…",</c> / <c>#      "name":…}</c>: the status, and the JSON run over as many comment lines as it needs.</summary>
    private static (int? Status, string? Response) Documented(List<string> comments, string command, int line)
    {
        if (comments.Count == 0)
        {
            return (null, null);
        }

        var first = StatusComment().Match(comments[0]);
        int? status = first.Success ? int.Parse(first.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var json = first.Success ? first.Groups[2].Value : comments[0];
        if (!json.StartsWith('{') && !json.StartsWith('['))
        {
            return (status, null);
        }

        // A pipe's output (jq) has no status of its own; an answer without one is too loose to check.
        if (status is null && !command.Contains("| jq", StringComparison.Ordinal))
        {
            throw new FormatException($"README line {line}: write the status before the response, as '# 200 {{…}}'");
        }

        var k = 1;
        while (!DocumentedJson.Balanced(json) && k < comments.Count)
        {
            json += "\n" + comments[k++];
        }

        return (status, json);
    }

    [GeneratedRegex(@"^(?<indent>\s*)```(\w*)[ \t]*(\S*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`(curl [^`]+)`")]
    private static partial Regex InlineCurl();

    [GeneratedRegex(@"^(?:(?<name>[A-Za-z_]\w*)=(?<value>'[^']*'|""[^""]*""|[^\s;'""]*)\s*;?\s*)+$")]
    private static partial Regex Assignments();

    [GeneratedRegex(@"^(\d{3})\b\s*(.*)$")]
    private static partial Regex StatusComment();
}
