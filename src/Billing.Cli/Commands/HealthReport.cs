using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Billing.Cli.Commands;

/// <summary>The body of <c>GET /health</c>: <c>{"status","silo","storage","activations","checked_at"}</c>.</summary>
internal sealed record HealthReport(string Status, string Silo, string Storage, int Activations)
{
    public bool IsHealthy => Status == "healthy";

    public string ToLine() =>
        string.Create(CultureInfo.InvariantCulture, $"{Status}  silo={Silo} storage={Storage} activations={Activations}");

    /// <summary>
    /// Reads the report by hand rather than by deserializing: when the database is down the silo sends RFC 7807
    /// problem details instead, whose "status" is a number, and that must be told apart rather than thrown on.
    /// </summary>
    public static bool TryParse(string body, [NotNullWhen(true)] out HealthReport? report)
    {
        report = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetString(root, "status", out var status))
            {
                return false;
            }

            report = new HealthReport(
                status,
                TryGetString(root, "silo", out var silo) ? silo : "?",
                TryGetString(root, "storage", out var storage) ? storage : "?",
                root.TryGetProperty("activations", out var count) && count.TryGetInt32(out var activations) ? activations : 0);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Problem details (<c>{"title","detail",...}</c>) summarised as one line, e.g. "Database unavailable: timeout".</summary>
    public static bool TryParseProblem(string body, [NotNullWhen(true)] out string? summary)
    {
        summary = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetString(root, "title", out var title))
            {
                return false;
            }

            summary = TryGetString(root, "detail", out var detail) ? $"{title}: {detail}" : title;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryGetString(JsonElement root, string name, [NotNullWhen(true)] out string? value)
    {
        value = root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }
}
