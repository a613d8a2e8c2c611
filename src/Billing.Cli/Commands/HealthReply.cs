using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Billing.Contracts.Health;

namespace Billing.Cli.Commands;

/// <summary>Reads what the silo answers on <c>GET /health</c>: a <see cref="HealthResponse"/>, or problem details.</summary>
internal static class HealthReply
{
    public static bool IsHealthy(HealthResponse report) => report.Status == HealthResponse.Healthy;

    /// <summary>A front door holds no grains (activations null); the line says 0 for it, as it always has.</summary>
    public static string ToLine(HealthResponse report) => string.Create(
        CultureInfo.InvariantCulture, $"{report.Status}  silo={report.Silo} storage={report.Storage} activations={report.Activations ?? 0}");

    /// <summary>
    /// Looks at "status" before deserializing: when the database is down the silo sends RFC 7807 problem details
    /// instead, whose "status" is a number, and that must be told apart rather than thrown on.
    /// </summary>
    public static bool TryParse(string body, [NotNullWhen(true)] out HealthResponse? report)
    {
        report = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetString(root, "status", out _))
            {
                return false;
            }

            report = root.Deserialize(SiloJson.Default.HealthResponse);
            return report is not null;
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
