using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Billing.Silo.Tests.Readme;

/// <summary>
/// A response as the README shows it: JSON where <c>…</c> stands for "more" (<c>{…}</c>, <c>,…</c>) or inside a value
/// (<c>"inv_…"</c>). Only field names are compared with the real answer; values are free.
/// </summary>
internal static partial class DocumentedJson
{
    /// <summary>True when every brace and bracket outside strings is closed.</summary>
    public static bool Balanced(string text)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                i += c == '\\' ? 1 : 0;
                inString = c != '"';
            }
            else
            {
                inString = c == '"';
                depth += c is '{' or '[' ? 1 : c is '}' or ']' ? -1 : 0;
            }
        }

        return depth == 0 && !inString;
    }

    /// <summary>Parses the README's JSON with its <c>…</c> outside strings taken out.</summary>
    public static JsonElement Parse(string text)
    {
        var cleaned = new StringBuilder();
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                cleaned.Append(c);
                if (c == '\\')
                {
                    cleaned.Append(text[++i]);
                }

                inString = c != '"';
            }
            else if (c != '…')
            {
                cleaned.Append(c);
                inString = c == '"';
            }
        }

        var json = DanglingComma().Replace(LeadingComma().Replace(DoubleComma().Replace(cleaned.ToString(), ","), "$1"), "$1");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Every field the README shows that the real answer lacks (as paths), and in <paramref name="unchecked"/> the lists
    /// the README shows items of that answered empty (their fields could not be compared).
    /// </summary>
    public static List<string> Missing(JsonElement documented, JsonElement real, List<string> @unchecked)
    {
        var missing = new List<string>();
        Compare(documented, real, "$", missing, @unchecked);
        return missing;
    }

    /// <summary>
    /// Ids the README shows in a response (e.g. <c>"op_3Jd8Kq1Zp0Xv7Lm2Nb4C"</c>) bound to the real values at the same
    /// place, so that a later example naming that id acts on the object this one made.
    /// </summary>
    public static void Capture(JsonElement documented, JsonElement real, IDictionary<string, string> bindings)
    {
        switch (documented.ValueKind)
        {
            case JsonValueKind.Object when real.ValueKind == JsonValueKind.Object:
                foreach (var property in documented.EnumerateObject())
                {
                    if (real.TryGetProperty(property.Name, out var value))
                    {
                        Capture(property.Value, value, bindings);
                    }
                }

                break;
            case JsonValueKind.String when real.ValueKind == JsonValueKind.String && ExampleId().IsMatch(documented.GetString()!):
                bindings[documented.GetString()!] = real.GetString()!;
                break;
        }
    }

    private static void Compare(JsonElement documented, JsonElement real, string path, List<string> missing, List<string> @unchecked)
    {
        switch (documented.ValueKind)
        {
            case JsonValueKind.Object when real.ValueKind != JsonValueKind.Object:
                missing.Add($"{path} (an object in the README, {real.ValueKind} in the answer)");
                break;
            case JsonValueKind.Object:
                foreach (var property in documented.EnumerateObject())
                {
                    if (real.TryGetProperty(property.Name, out var value))
                    {
                        Compare(property.Value, value, $"{path}.{property.Name}", missing, @unchecked);
                    }
                    else
                    {
                        missing.Add($"{path}.{property.Name}");
                    }
                }

                break;
            case JsonValueKind.Array when real.ValueKind != JsonValueKind.Array:
                missing.Add($"{path} (a list in the README, {real.ValueKind} in the answer)");
                break;
            case JsonValueKind.Array:
                var shown = documented.EnumerateArray().Where(item => item.ValueKind is JsonValueKind.Object or JsonValueKind.Array).ToList();
                var items = real.EnumerateArray().ToList();
                if (shown.Count > 0 && items.Count == 0)
                {
                    @unchecked.Add(path);
                }

                for (var i = 0; i < shown.Count && items.Count > 0; i++)
                {
                    // The README's item is an example: some item of the answer must have all its fields.
                    var trials = items.Select(_ => (Missing: new List<string>(), Unchecked: new List<string>())).ToList();
                    for (var k = 0; k < items.Count; k++)
                    {
                        Compare(shown[i], items[k], $"{path}[{i}]", trials[k].Missing, trials[k].Unchecked);
                    }

                    var best = trials.OrderBy(trial => (trial.Missing.Count, trial.Unchecked.Count)).First();
                    missing.AddRange(best.Missing);
                    @unchecked.AddRange(best.Unchecked);
                }

                break;
        }
    }

    [GeneratedRegex(@",(\s*,)+")]
    private static partial Regex DoubleComma();

    [GeneratedRegex(@"([{\[])\s*,")]
    private static partial Regex LeadingComma();

    [GeneratedRegex(@",\s*([}\]])")]
    private static partial Regex DanglingComma();

    // Our ids (kind, underscore, 20 base62 characters) and providers' references such as PayPal's order ids.
    [GeneratedRegex(@"^(?:[a-z]+_[A-Za-z0-9]{20}|(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{12,24})$")]
    private static partial Regex ExampleId();
}
