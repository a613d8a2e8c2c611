using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Billing.Domain;

namespace Billing.Silo.Audit;

/// <summary>
/// What the audit log keeps of a before or after state: JSON with every secret replaced by
/// <c>"[redacted]"</c>, at most <see cref="MaxChars"/> characters. Secrets are members with a secret's
/// name (key, secret, password, card number, cvc…) and strings that hold a key of ours or a
/// card-number-like run of 13 to 19 digits, wherever they are.
/// </summary>
public static partial class AuditJson
{
    public const int MaxChars = 16 * 1024;
    public const string Redacted = "[redacted]";
    private const int MaxDepth = 32;

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "api_key", "admin_key", "secret", "client_secret", "password", "authorization",
        "card_number", "number_card", "pan", "cvc", "cvv", "security_code", "exp_month", "exp_year",
    };

    private static readonly string[] KeySchemes = [ApiKeyFormat.LiveScheme, ApiKeyFormat.AdminScheme, OperatorKeyFormat.Scheme];

    public static string? Serialize<T>(T? value, JsonSerializerOptions options) =>
        value is null ? null : Sanitize(JsonSerializer.SerializeToNode(value, options));

    /// <summary>Sanitized JSON text; text that is not JSON is not kept (null).</summary>
    public static string? Sanitize(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return Sanitize(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Sanitize(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var clean = Clean(node, depth: 0);
        var text = clean?.ToJsonString() ?? "null";
        return text.Length <= MaxChars ? text : $$"""{"truncated":true,"chars":{{text.Length}}}""";
    }

    private static JsonNode? Clean(JsonNode? node, int depth)
    {
        if (depth > MaxDepth)
        {
            return Redacted;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    obj[name] = SecretNames.Contains(name) && obj[name] is not null ? Redacted : Clean(obj[name]?.DeepClone(), depth + 1);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Clean(array[i]?.DeepClone(), depth + 1);
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && IsSecret(text):
                return Redacted;
            default:
                return node;
        }
    }

    private static bool IsSecret(string text) =>
        KeySchemes.Any(s => text.Contains(s, StringComparison.Ordinal)) || CardNumberLike().IsMatch(text);

    [GeneratedRegex(@"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex CardNumberLike();
}
