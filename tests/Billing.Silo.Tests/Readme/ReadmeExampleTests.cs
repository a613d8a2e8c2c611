using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Payments;
using Billing.Testing;

namespace Billing.Silo.Tests.Readme;

/// <summary>
/// Every curl example of README.md, run in document order against a real silo (SQLite) as one shell session would run
/// them: the status the README gives it (<c># 201 …</c>, else any 2xx) and the field names of the response it shows.
/// An example that cannot run here is listed in <see cref="NotRunHere"/> with the reason; any other that cannot be
/// read or run fails the test, naming its line.
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private const int MinExamplesRun = 54;
    private const int MinResponsesShown = 18;

    /// <summary>Examples that need what a test host has not got; matched on a piece of the command as written.</summary>
    /// <remarks>None today: PayPal runs against its stand-in, and the statement files are blocks of the README.</remarks>
    private static readonly Dictionary<string, string> NotRunHere = new(StringComparer.Ordinal);

    /// <summary>
    /// Examples that come after the buyer approved a PayPal order on PayPal's pages (no API of ours): the test flips the
    /// stand-in's switch for the order the example's <c>token=</c> names, as the buyer's click would.
    /// </summary>
    private const string AfterBuyerApproved = "/paypal/return?token=";

    /// <summary>Examples whose shown list may answer empty here (so its items' fields go unchecked), with the reason.</summary>
    private static readonly Dictionary<string, string> MayListNothing = new(StringComparer.Ordinal)
    {
        ["/api/v1/admin/emails?status=failed"] = "e-mail is off in the test host (no SMTP server), so no mail has failed; EmailApiTests check the list's fields",
    };

    /// <summary>Examples that act on an invoice in another state than <c>$INVOICE</c>'s (unpaid, then paid by the example above them).</summary>
    private static readonly Dictionary<string, string> InvoiceFor = new(StringComparer.Ordinal)
    {
        ["/waive"] = "waive",
        ["/transfers"] = "transfer",
        ["/collection"] = "collecting",
    };

    /// <summary>Examples whose placeholder stands for another object than elsewhere: (placeholder, the world's literal for it).</summary>
    private static readonly Dictionary<string, (string Placeholder, string Instead)> LiteralFor = new(StringComparer.Ordinal)
    {
        // Plan changes: the first PUT gives the shop Standard, the second upgrades it to Pro Plus.
        ["{\"price_plan_id\":\"price_…\"}"] = ("price_…", "pro_plus_…"),
    };

    [Fact]
    public async Task EveryCurlExampleAnswersWhatTheReadmeSays()
    {
        var readme = ReadmeDocument.Load();
        await using var database = TestDatabase.CreateSqlite();
        await using var paypal = await PayPalStandIn.StartAsync();
        var settings = ReadmeWorld.Settings.Concat(paypal.Settings).ToDictionary(pair => pair.Key, pair => pair.Value);
        await using var silo = CatalogSilo.Start(database, configure: null, ReadmeWorld.Start, settings);
        var world = await ReadmeWorld.CreateAsync(silo);
        var shell = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var ran = 0;
        foreach (var step in readme.Steps)
        {
            var lookup = (string name) => shell.GetValueOrDefault(name) ?? world.Variables.GetValueOrDefault(name);
            if (step is ReadmeAssignment assignment)
            {
                shell[assignment.Name] = string.Concat(ShellWords.Split(assignment.RawValue, lookup));
                continue;
            }

            if (step is not ReadmeCurl curl || NotRunHere.Keys.Any(curl.Command.Contains))
            {
                continue;
            }

            try
            {
                await RunAsync(silo, readme, world, curl, lookup, paypal);
                ran++;
            }
            catch (Exception exception) when (exception is FormatException or KeyNotFoundException or ReadmeMismatchException or JsonException)
            {
                failures.Add($"README line {curl.Line}: {FirstLine(curl.Command)}\n    {exception.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {ran + failures.Count} README examples do not answer as documented:\n{string.Join('\n', failures)}");

        // A floor under what was read, so that a README the reader stops understanding cannot pass by running nothing.
        var shown = readme.Curls.Count(curl => curl.Response is not null && !NotRunHere.Keys.Any(curl.Command.Contains));
        Assert.True((ran, shown) is ( >= MinExamplesRun, >= MinResponsesShown), $"ran {ran} examples and compared {shown} shown responses");
        Assert.All(NotRunHere.Keys.Append(AfterBuyerApproved).Concat(MayListNothing.Keys).Concat(InvoiceFor.Keys).Concat(LiteralFor.Keys), key => Assert.Contains(readme.Curls, curl => curl.Command.Contains(key, StringComparison.Ordinal)));
    }

    private static async Task RunAsync(CatalogSilo silo, ReadmeDocument readme, ReadmeWorld.Bindings world, ReadmeCurl curl, Func<string, string?> lookup, PayPalStandIn paypal)
    {
        var command = curl.Command;
        foreach (var (piece, (placeholder, instead)) in LiteralFor.Where(pair => command.Contains(pair.Key, StringComparison.Ordinal)))
        {
            command = command.Replace(placeholder, world.Literals[instead], StringComparison.Ordinal);
        }

        command = world.Literals.Aggregate(command, (text, literal) => text.Replace(literal.Key, literal.Value, StringComparison.Ordinal));
        if (InvoiceFor.FirstOrDefault(pair => command.Contains(pair.Key, StringComparison.Ordinal)) is { Key: not null } special)
        {
            var invoice = world.Invoices[special.Value];
            var outer = lookup;
            lookup = name => name == "INVOICE" ? invoice : outer(name);
        }

        if (command.Contains(AfterBuyerApproved, StringComparison.Ordinal))
        {
            paypal.Approve(OrderToken().Match(command).Groups[1].Value);
        }

        var request = CurlCommand.Parse(ShellWords.Split(command, lookup), name =>
            readme.Files.TryGetValue(name, out var text) ? text : throw new FormatException($"@{name}: the README defines no such file (a fenced block named {name})"));
        using var client = silo.CreateClient();
        using var message = ToMessage(request);
        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (curl.Status is { } documented ? status != documented : status is < 200 or > 299)
        {
            throw new ReadmeMismatchException($"answered {status}, the README says {curl.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx"}: {Shorten(body)}");
        }

        if (curl.Response is null)
        {
            return;
        }

        var real = Piped(JsonDocument.Parse(body).RootElement, request.Pipe);
        var documentedJson = DocumentedJson.Parse(curl.Response);
        var @unchecked = new List<string>();
        var missing = DocumentedJson.Missing(documentedJson, real, @unchecked);
        if (missing.Count > 0)
        {
            throw new ReadmeMismatchException($"the answer lacks {string.Join(", ", missing)} the README shows: {Shorten(real.GetRawText())}");
        }

        if (@unchecked.Count > 0 && !MayListNothing.Keys.Any(curl.Command.Contains))
        {
            throw new ReadmeMismatchException($"{string.Join(", ", @unchecked)} answered empty, so the fields the README shows there were not checked: make the set-up fill it, or list the example in MayListNothing with the reason");
        }

        DocumentedJson.Capture(documentedJson, real, world.Literals);
    }

    private static HttpRequestMessage ToMessage(CurlCommand request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.PathAndQuery, UriKind.Relative));
        if (request.Body is not null)
        {
            // As curl: -d without a Content-Type header sends a form.
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(
                request.HeaderValue("Content-Type") ?? "application/x-www-form-urlencoded");
        }

        foreach (var (name, value) in request.Headers.Where(h => !string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>The part of jq the README uses: <c>jq '.paths["/x"].post["y"]'</c>.</summary>
    private static JsonElement Piped(JsonElement json, IReadOnlyList<string> pipe)
    {
        if (pipe.Count == 0)
        {
            return json;
        }

        if (pipe is not ["jq", var filter])
        {
            throw new FormatException($"the README test reads only `| jq '<path>'`, not `| {string.Join(' ', pipe)}`");
        }

        foreach (Match step in JqStep().Matches(filter))
        {
            var name = step.Groups[1].Success ? step.Groups[1].Value : step.Groups[2].Value;
            json = json.TryGetProperty(name, out var next) ? next : throw new ReadmeMismatchException($"jq {filter}: no '{name}' in the answer");
        }

        return json;
    }

    private static string FirstLine(string command) => command.Split('\n')[0];

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    [GeneratedRegex(@"token=([A-Za-z0-9]+)")]
    private static partial Regex OrderToken();

    [GeneratedRegex(@"\.(\w[\w-]*)|\[""([^""]+)""\]")]
    private static partial Regex JqStep();

    private sealed class ReadmeMismatchException(string message) : Exception(message);
}
